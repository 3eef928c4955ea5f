import { parseArgs } from 'node:util';
import { ServiceErrorKind, type ServiceError } from '@checkwire/proto';
import { isoTime, positiveCount, positiveId } from './cli-args.js';
import { UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { teamNames, type TeamNames } from './services.command.js';
import { oneLine, textTable } from './text-table.js';

// `errors`: what failed checks reported, newest first (StatusService.ListServiceErrors, for the
// white team). The server pages; this command pages until --limit is reached.

/** Error kinds as the command line spells them. */
const KINDS: ReadonlyMap<string, ServiceErrorKind> = new Map([
  ['timeout', ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT],
  ['content', ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT],
  ['credentials', ServiceErrorKind.SERVICE_ERROR_KIND_CREDENTIALS],
  ['connection', ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION],
  ['other', ServiceErrorKind.SERVICE_ERROR_KIND_OTHER],
  ['no_runner', ServiceErrorKind.SERVICE_ERROR_KIND_NO_RUNNER],
]);
const kindName = (k: ServiceErrorKind) =>
  [...KINDS].find(([, v]) => v === k)?.[0] ?? `kind ${String(k)}`;

/** How many errors are shown when --limit is not given. */
export const DEFAULT_LIMIT = 100;
/** The most the server returns in one page (proto: page_size 1..1000). */
const PAGE_SIZE = 1000;
/** A message in the table is cut to this many characters; --json has it whole. */
const MESSAGE_WIDTH = 72;

/** One error as `--json` prints it: the team's name and the kind spelled as `--kind` takes it. */
function record(e: ServiceError, teams: TeamNames) {
  return {
    id: e.id,
    time: e.createdAt?.toISOString() ?? null,
    teamId: e.teamId,
    team: teams.get(e.teamId) ?? null,
    serviceId: e.serviceId,
    service: e.serviceName,
    subtype: e.subtype,
    kind: kindName(e.kind),
    message: e.message,
    detail: e.detail,
    traceId: e.traceId || null,
    scoreId: e.scoreId,
  };
}

/** Errors as a table: a header line, then a line per error, its message on one line. */
export function errorsTable(errors: readonly ServiceError[], teams: TeamNames): string {
  return textTable(
    [
      { title: 'time' },
      { title: 'team' },
      { title: 'service' },
      { title: 'kind' },
      { title: 'message' },
      { title: 'trace' },
    ],
    errors.map((e) => [
      e.createdAt?.toISOString() ?? '-',
      teams.get(e.teamId) ?? String(e.teamId),
      `${e.serviceName} (${e.serviceId})`,
      kindName(e.kind),
      oneLine(e.message, MESSAGE_WIDTH) || '-',
      e.traceId || '-',
    ]),
  );
}

/**
 * `errors [--team ID] [--service ID] [--subtype S] [--kind K] [--since TIME] [--until TIME]
 * [--limit N] [--json]`: since inclusive, until exclusive.
 */
export async function runErrors(args: string[], c: Connection): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      team: { type: 'string' },
      service: { type: 'string' },
      subtype: { type: 'string' },
      kind: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const teamId = values.team === undefined ? undefined : positiveId('--team', values.team);
  const serviceId =
    values.service === undefined ? undefined : positiveId('--service', values.service);
  if (values.subtype !== undefined && values.subtype.trim() === '') {
    throw new UsageError('--subtype must not be empty');
  }
  const kind = values.kind === undefined ? undefined : KINDS.get(values.kind);
  if (values.kind !== undefined && kind === undefined) {
    throw new UsageError(
      `--kind must be one of ${[...KINDS.keys()].join(', ')}, got ${JSON.stringify(values.kind)}`,
    );
  }
  const since = values.since === undefined ? undefined : isoTime('--since', values.since);
  const until = values.until === undefined ? undefined : isoTime('--until', values.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new UsageError(
      `--since must be before --until, got ${since.toISOString()} and ${until.toISOString()}`,
    );
  }
  const limit = values.limit === undefined ? DEFAULT_LIMIT : positiveCount('--limit', values.limit);

  // One more than shown, to say whether more match.
  const wanted = limit + 1;
  const found: ServiceError[] = [];
  let pageToken = '';
  do {
    const page = await c.status.listServiceErrors({
      teamId,
      serviceId,
      subtype: values.subtype ?? '',
      kind,
      since,
      until,
      pageSize: Math.min(PAGE_SIZE, wanted - found.length),
      pageToken,
    });
    found.push(...page.serviceErrors);
    pageToken = page.nextPageToken;
  } while (pageToken !== '' && found.length < wanted);
  const shown = found.slice(0, limit);
  const { teams } = await c.admin.listTeams({});
  const names = teamNames(teams);

  if (values.json)
    return JSON.stringify(
      shown.map((e) => record(e, names)),
      null,
      2,
    );
  if (shown.length === 0) return 'no service errors';
  const more =
    found.length > limit
      ? `\nmore errors match: these are the newest ${limit}; raise --limit or narrow with --since/--until`
      : '';
  return `${errorsTable(shown, names)}${more}`;
}
