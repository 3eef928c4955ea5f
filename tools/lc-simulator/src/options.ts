import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run lc-sim -- --url URL --secret SECRET --etype ETYPE
         [--oid OID] [--jwt JWT] [--data JSON | --data-file FILE] [--deadline SECONDS] [--json]
exit code: 0 a success (HTTP 200, "success": true), 1 any other answer or none, 2 usage
a sensor's reply to a task: npm run lc-sim -- reply --help
LimaCharlie extensions (lc-ext-sig): npm run lc-sim -- --extension --help`;

export interface SimOptions {
  url: string;
  secret: string;
  etype: string;
  oid: string;
  jwt: string;
  data: string | undefined;
  dataFile: string | undefined;
  deadline: string;
  json: boolean;
}

/** A mistake in the command line: one line, then the usage (exit code 2). */
export class UsageError extends Error {}

/** The command line; `help` when --help was asked for. Throws UsageError. */
export function parseOptions(args: string[]): SimOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        url: { type: 'string' },
        secret: { type: 'string' },
        etype: { type: 'string' },
        oid: { type: 'string', default: '' },
        jwt: { type: 'string', default: '' },
        data: { type: 'string' },
        'data-file': { type: 'string' },
        deadline: { type: 'string', default: '590' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    // parseArgs' own refusals: an unknown flag, a flag without its value, a stray argument.
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const { url, secret, etype } = values;
  const missing = (['url', 'secret', 'etype'] as const).filter((k) => values[k] === undefined);
  if (url === undefined || secret === undefined || etype === undefined) {
    throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  }
  return {
    url,
    secret,
    etype,
    oid: values.oid,
    jwt: values.jwt,
    data: values.data,
    dataFile: values['data-file'],
    deadline: values.deadline,
    json: values.json,
  };
}
