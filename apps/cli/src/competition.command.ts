import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import {
  EventFileError,
  loadEventFile,
  locate,
  MAX_EVENT_FILE_BYTES,
  renderEventFile,
  type LoadedEventFile,
} from '@checkwire/event-file';
import { isGrpcError } from '@checkwire/grpc';
import { CompetitionChangeKind, type CompetitionChange } from '@checkwire/proto';
import { CliError, UsageError } from './cli-errors.js';
import { competitionFromProto, competitionToProto } from './competition-proto.js';
import type { Connection } from './connection.js';

type Env = Readonly<Record<string, string | undefined>>;

const MARK: Record<CompetitionChangeKind, string> = {
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_UNSPECIFIED]: '?',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_CREATE]: '+',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_UPDATE]: '~',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_DISABLE]: '-',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_ENABLE]: '^',
  [CompetitionChangeKind.UNRECOGNIZED]: '?',
};
const KIND_NAME: Record<CompetitionChangeKind, string> = {
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_UNSPECIFIED]: 'unknown',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_CREATE]: 'create',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_UPDATE]: 'update',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_DISABLE]: 'disable',
  [CompetitionChangeKind.COMPETITION_CHANGE_KIND_ENABLE]: 'enable',
  [CompetitionChangeKind.UNRECOGNIZED]: 'unknown',
};

function readEventFile(file: string, env: Env): LoadedEventFile {
  let text: string;
  try {
    if (statSync(file).size > MAX_EVENT_FILE_BYTES) {
      throw new CliError(`${file} is over ${MAX_EVENT_FILE_BYTES / 1024 / 1024} MiB`);
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  return loadEventFile(file, text, env);
}

/** The server's refusal of one field, pointed at the line of the file it came from. */
function fileRefusal(file: string, loaded: LoadedEventFile, details: string): Error {
  const match = /^(\S+): ([\s\S]*)$/.exec(details);
  if (match === null) return new CliError(`${file}: ${details}`);
  const { path, line, note } = locate(loaded, match[1]!);
  return new EventFileError(file, [{ path, line, note, message: match[2]! }]);
}

function describeChange(c: CompetitionChange): string[] {
  const head = `  ${MARK[c.kind]} ${c.entity} ${c.name}`;
  return c.details.length === 0
    ? [head]
    : [`${head}: ${c.details[0]}`, ...c.details.slice(1).map((d) => `      ${d}`)];
}

/** `apply -f FILE [--dry-run] [--json]`; returns what to print. */
export async function runApply(args: string[], c: Connection, env: Env): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: 'string', short: 'f' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const file = values.file;
  if (file === undefined) throw new UsageError('apply needs -f FILE (a competition file)');
  const loaded = readEventFile(file, env);
  const dryRun = values['dry-run'] ?? false;
  let response;
  try {
    response = await c.competitions.applyCompetition({
      competition: competitionToProto(loaded.competition),
      dryRun,
    });
  } catch (err) {
    if (isGrpcError(err) && err.code === status.INVALID_ARGUMENT) {
      throw fileRefusal(file, loaded, err.details);
    }
    throw err;
  }
  if (values.json) {
    return JSON.stringify(
      {
        file,
        dry_run: dryRun,
        applied: response.applied,
        unchanged: response.unchanged,
        kept: response.kept,
        changes: response.changes.map((ch) => ({
          kind: KIND_NAME[ch.kind],
          entity: ch.entity,
          name: ch.name,
          details: ch.details,
        })),
      },
      null,
      2,
    );
  }
  const n = response.changes.length;
  // Credentials blue teams changed since (password change requests) outrank the file's.
  const kept = response.kept.map((line) => `  ~ ${line}`);
  if (n === 0) {
    return [
      `${file}: nothing to change; the competition already matches it (${response.unchanged} unchanged)`,
      ...kept,
    ].join('\n');
  }
  const head = dryRun
    ? `${file}: ${n} change${n === 1 ? '' : 's'} to make (dry run: nothing written)`
    : `${file}: applied ${n} change${n === 1 ? '' : 's'}`;
  return [
    head,
    ...response.changes.flatMap(describeChange),
    ...kept,
    `  = ${response.unchanged} unchanged`,
  ].join('\n');
}

/** `export [-o FILE] [--json]`: the competition as a file `apply` takes back unchanged. */
export async function runExport(args: string[], c: Connection): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { output: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
  });
  const { competition } = await c.competitions.exportCompetition({});
  const plain = competitionFromProto(competition!);
  const text = values.json
    ? JSON.stringify(plain, null, 2) + '\n'
    : renderEventFile(
        plain,
        `Exported by checkwire on ${new Date().toISOString()}.\nHolds the competition's secrets: keep it where they may be.`,
      );
  if (values.output === undefined) return text.trimEnd();
  writeFileSync(values.output, text, { mode: 0o600 });
  const services = plain.teams.reduce((sum, t) => sum + t.services.length, 0);
  return `wrote ${values.output}: ${plain.teams.length} teams, ${services} services, ${plain.credential_pools.length} credential pools`;
}
