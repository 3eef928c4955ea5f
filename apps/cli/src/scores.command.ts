import { createWriteStream, type WriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Score } from '@checkwire/proto';
import { positiveId } from './cli-args.js';
import { UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';
import { csvRow } from './csv.js';

const COLUMNS = [
  'score_id',
  'team',
  'service',
  'service_id',
  'round_time',
  'result',
  'submitted_result',
  'capped',
  'error_msg',
  'request_id',
  'created_at',
] as const;

type Format = 'csv' | 'json';

/**
 * `scores [--service ID] [--format csv|json] [-o FILE]`: every score the token may see, with its
 * round, page by page (a whole event's scores are written as they arrive, never all held).
 */
export async function runScores(args: string[], c: Connection): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      service: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      output: { type: 'string', short: 'o' },
    },
  });
  const format = values.format as Format;
  if (format !== 'csv' && format !== 'json') {
    throw new UsageError(`--format must be csv or json, got "${values.format}"`);
  }
  const serviceId =
    values.service === undefined ? undefined : positiveId('--service', values.service);
  const [{ services }, { teams }] = await Promise.all([
    c.admin.listServices({}),
    c.admin.listTeams({}),
  ]);
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const named = new Map(
    services.map((s) => [s.id, { team: teamName.get(s.teamId) ?? '', name: s.name }]),
  );
  const lines: string[] = [];
  const file: WriteStream | undefined =
    values.output === undefined ? undefined : createWriteStream(values.output, { mode: 0o600 });
  const write = async (line: string) => {
    if (file === undefined) lines.push(line);
    else if (!file.write(`${line}\n`))
      await new Promise<void>((r) => file.once('drain', () => r()));
  };
  const record = (s: Score) => {
    const where = named.get(s.serviceId);
    return {
      score_id: s.id,
      team: where?.team ?? '',
      service: where?.name ?? '',
      service_id: s.serviceId,
      round_time: s.roundTime?.toISOString() ?? null,
      result: s.result,
      submitted_result: s.submittedResult,
      capped: s.capped,
      error_msg: s.errorMsg ?? null,
      request_id: s.requestId ?? null,
      created_at: s.createdAt?.toISOString() ?? null,
    };
  };
  let count = 0;
  if (format === 'csv') await write(csvRow(COLUMNS));
  else await write('[');
  let pageToken = '';
  do {
    const page = await c.status.listScores({ serviceId, pageSize: 1000, pageToken });
    for (const score of page.scores) {
      const r = record(score);
      await write(
        format === 'csv'
          ? csvRow(COLUMNS.map((k) => r[k]))
          : `${count === 0 ? '  ' : ', '}${JSON.stringify(r)}`,
      );
      count += 1;
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== '');
  if (format === 'json') await write(']');
  if (file === undefined) return lines.join('\n');
  await new Promise<void>((resolve, reject) =>
    file.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return `wrote ${values.output}: ${count} scores`;
}
