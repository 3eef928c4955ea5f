import { parseArgs } from 'node:util';
import type { Service, Team } from '@checkwire/proto';
import { positiveId } from './cli-args.js';
import { CliError, UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { servicesTable, teamNames, withoutPassword } from './services.command.js';
import { textTable } from './text-table.js';
import { USAGE } from './usage.js';

// Teams with how many services each has. The counts are of the services the token may see (the
// server filters them), and a service no longer in the competition file counts as disabled.

interface Counted {
  serviceCount: number;
  disabledServiceCount: number;
}

function countServices(services: readonly Service[]): Map<number, Counted> {
  const counts = new Map<number, Counted>();
  for (const s of services) {
    const c = counts.get(s.teamId) ?? { serviceCount: 0, disabledServiceCount: 0 };
    c.serviceCount += 1;
    if (s.disabled) c.disabledServiceCount += 1;
    counts.set(s.teamId, c);
  }
  return counts;
}

/** Teams as a table: a header line, then a line per team. */
export function teamsTable(teams: readonly (Team & Counted)[]): string {
  return textTable(
    [
      { title: 'id', align: 'right' },
      { title: 'name' },
      { title: 'services', align: 'right' },
      { title: 'disabled', align: 'right' },
      { title: 'created' },
    ],
    teams.map((t) => [
      String(t.id),
      t.name,
      String(t.serviceCount),
      String(t.disabledServiceCount),
      t.createdAt?.toISOString() ?? '-',
    ]),
  );
}

/** A number is an id (GetTeam); anything else a team's exact name. */
async function findTeam(c: Connection, which: string): Promise<Team> {
  if (/^\d+$/.test(which)) return (await c.admin.getTeam({ id: positiveId('ID', which) })).team!;
  const { teams } = await c.admin.listTeams({});
  const team = teams.find((t) => t.name === which);
  if (team === undefined) {
    throw new CliError(`no team is named ${JSON.stringify(which)} (teams list shows them)`);
  }
  return team;
}

/** `teams [list] [--json]` and `teams get ID|NAME [--json]`. */
export async function runTeams(args: string[], c: Connection): Promise<string> {
  const [verb, ...rest] =
    args[0] === undefined || args[0].startsWith('-') ? ['list', ...args] : args;
  switch (verb) {
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
      const [{ teams }, { services }] = await Promise.all([
        c.admin.listTeams({}),
        c.admin.listServices({}),
      ]);
      const counts = countServices(services);
      const counted = teams.map((t) => ({
        ...t,
        ...(counts.get(t.id) ?? { serviceCount: 0, disabledServiceCount: 0 }),
      }));
      if (values.json) return JSON.stringify(counted, null, 2);
      return teams.length === 0 ? 'no teams' : teamsTable(counted);
    }
    case 'get': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { json: { type: 'boolean' } },
      });
      if (positionals.length !== 1) throw new UsageError('teams get takes one team id or name');
      const team = await findTeam(c, positionals[0]!);
      const { services } = await c.admin.listServices({ teamId: team.id });
      if (values.json) {
        return JSON.stringify({ ...team, services: services.map(withoutPassword) }, null, 2);
      }
      const disabled = services.filter((s) => s.disabled).length;
      const lines = [
        `id:       ${team.id}`,
        `name:     ${team.name}`,
        `created:  ${team.createdAt?.toISOString() ?? '-'}`,
        `services: ${services.length}${disabled ? ` (${disabled} disabled)` : ''}`,
      ];
      if (services.length > 0) lines.push('', servicesTable(services, teamNames([team])));
      return lines.join('\n');
    }
    default:
      throw new UsageError(USAGE);
  }
}
