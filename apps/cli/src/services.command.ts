import { checkSettingsFromWire, describeCheckSettings } from '@checkwire/check-settings';
import { parseArgs } from 'node:util';
import type { Service, Team } from '@checkwire/proto';
import { positiveId } from './cli-args.js';
import { UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { oneLine, textTable } from './text-table.js';
import { USAGE } from './usage.js';

// Services as the white team reads them. A password is never printed: only whether one is set
// (and the server sends credentials to admin and check_runner tokens only).

/** A service as `--json` prints it: every field but the password, and whether one is set. */
export type PrintedService = Omit<Service, 'password'> & { passwordSet: boolean };

export function withoutPassword(s: Service): PrintedService {
  const { password, ...rest } = s;
  return { ...rest, passwordSet: password !== '' };
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** `yes: reason` for a service taken down by the white team (or removed from the file). */
const adminDown = (s: Service, max: number) =>
  s.administrativelyDown ? oneLine(`yes${s.downReason ? `: ${s.downReason}` : ''}`, max) : 'no';

/** Team names by id, for the team column (a team the token cannot name shows its id). */
export type TeamNames = ReadonlyMap<number, string>;
export const teamNames = (teams: readonly Team[]): TeamNames =>
  new Map(teams.map((t) => [t.id, t.name]));

/** Services as a table: a header line, then a line per service. */
export function servicesTable(services: readonly Service[], teams: TeamNames): string {
  return textTable(
    [
      { title: 'id', align: 'right' },
      { title: 'team' },
      { title: 'name' },
      { title: 'subtype' },
      { title: 'url' },
      { title: 'port', align: 'right' },
      { title: 'points', align: 'right' },
      { title: 'enabled' },
      { title: 'admin-down' },
    ],
    services.map((s) => [
      String(s.id),
      teams.get(s.teamId) ?? String(s.teamId),
      s.name,
      s.subtype,
      oneLine(s.url, 48),
      String(s.port),
      s.points === undefined ? '-' : String(s.points),
      yesNo(!s.disabled),
      adminDown(s, 60),
    ]),
  );
}

function lastCheck(s: Service): string {
  if (s.lastScan === undefined) return s.inProgress ? 'none yet (one is running)' : 'none yet';
  const when = s.lastScanTime ? ` at ${s.lastScanTime.toISOString()}` : '';
  const error = s.lastScanError ? `: ${oneLine(s.lastScanError, 200)}` : '';
  const running = s.inProgress ? ' (another is running)' : '';
  // As scoring reads a result: below a cap but above 0 is a partial round.
  const partial = s.scoreCap !== undefined && s.lastScan > 0 && s.lastScan < s.scoreCap;
  const state = partial
    ? `partial (result ${s.lastScan} of ${s.scoreCap})`
    : `${s.lastScan > 0 ? 'up' : 'down'} (result ${s.lastScan})`;
  return `${state}${when}${error}${running}`;
}

/** The service's check settings in a few words (the server answers only valid ones). */
function checkSettingsLine(s: Service): string {
  try {
    return describeCheckSettings(checkSettingsFromWire('check_settings', s.checkSettings));
  } catch (err) {
    return `unreadable (${(err as Error).message})`;
  }
}

/** One service, a field a line. */
export function serviceDetails(s: Service, teams: TeamNames): string {
  const visibility = [
    s.publicVisibility ? 'public' : '',
    s.blueVisibility ? 'blue' : '',
    s.greenVisibility ? 'green' : '',
    s.redVisibility ? 'red' : '',
  ].filter(Boolean);
  const team = teams.get(s.teamId);
  const fields: [string, string][] = [
    ['id', String(s.id)],
    ['name', s.name],
    ['team', team === undefined ? String(s.teamId) : `${team} (${s.teamId})`],
    ['subtype', s.subtype],
    ['url', s.url],
    ['port', String(s.port)],
    ['protocol', s.protocol || '-'],
    ['runner pool', s.runnerPool || 'default'],
    ['external', yesNo(s.external)],
    ['points', s.points === undefined ? '-' : String(s.points)],
    ['score cap', s.scoreCap === undefined ? '-' : String(s.scoreCap)],
    ['enabled', s.disabled ? 'no (no longer in the competition file)' : 'yes'],
    ['admin-down', adminDown(s, 200)],
    ['username', s.username || '-'],
    ['password', s.password === '' ? '-' : '(set)'],
    ['credential pool', s.credentialPoolId === undefined ? '-' : String(s.credentialPoolId)],
    ['http string', s.httpString ? oneLine(s.httpString, 200) : '-'],
    ['team-specific info', s.teamSpecificInfo ? oneLine(s.teamSpecificInfo, 200) : '-'],
    ['check settings', checkSettingsLine(s)],
    ['team specific', yesNo(s.teamSpecific)],
    ['visible to', visibility.length ? visibility.join(', ') : 'the white team only'],
    ['last check', lastCheck(s)],
    ['created', s.createdAt?.toISOString() ?? '-'],
    ['updated', s.updatedAt?.toISOString() ?? '-'],
  ];
  const width = Math.max(...fields.map(([k]) => k.length)) + 1;
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n');
}

/** `services [list] [--team ID] [--json]` and `services get ID [--json]`. */
export async function runServices(args: string[], c: Connection): Promise<string> {
  const [verb, ...rest] =
    args[0] === undefined || args[0].startsWith('-') ? ['list', ...args] : args;
  switch (verb) {
    case 'list': {
      const { values } = parseArgs({
        args: rest,
        options: { team: { type: 'string' }, json: { type: 'boolean' } },
      });
      const teamId = values.team === undefined ? undefined : positiveId('--team', values.team);
      const [{ services }, { teams }] = await Promise.all([
        c.admin.listServices({ teamId }),
        c.admin.listTeams({}),
      ]);
      if (values.json) return JSON.stringify(services.map(withoutPassword), null, 2);
      if (services.length === 0) {
        return teamId === undefined ? 'no services' : `no services of team ${teamId}`;
      }
      return servicesTable(services, teamNames(teams));
    }
    case 'get': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { json: { type: 'boolean' } },
      });
      if (positionals.length !== 1) throw new UsageError('services get takes one service id');
      const id = positiveId('ID', positionals[0]);
      const { service } = await c.admin.getService({ id });
      if (values.json) return JSON.stringify(withoutPassword(service!), null, 2);
      const { teams } = await c.admin.listTeams({});
      return serviceDetails(service!, teamNames(teams));
    }
    default:
      throw new UsageError(USAGE);
  }
}
