import { parseArgs } from 'node:util';
import { parseInvestigationId } from '@checkwire/lc-wire';
import { UsageError } from './options.js';

export const REPLY_USAGE = `usage: npm run lc-sim -- reply --url URL --secret SECRET --investigation-id ID
         [--sid SID] [--oid OID] [--jwt JWT] [--event JSON | --event-file FILE]
         [--event-type TYPE] [--deadline SECONDS] [--json]
plays a sensor's reply to a task of an InteractiveService: the signed "detection" LimaCharlie
sends. ID: svc-<service>-ex/<key>/<job id>/<context>, URL-encoded as the task's form field, or
a task as the LC cloud stand-in records it ({"oid", "sid", "tasks", "investigationId"}), which
gives --oid, --sid and --event-type too. A URL without a path gets /<service> of the id.
exit code: 0 a success (HTTP 200, "success": true), 1 any other answer or none, 2 usage`;

export interface ReplyOptions {
  url: string;
  secret: string;
  investigationId: string;
  /** The service the id names (`svc-<service>-ex`). */
  serviceName: string;
  sid: string;
  oid: string;
  jwt: string;
  event: string | undefined;
  eventFile: string | undefined;
  eventType: string;
  deadline: string;
  json: boolean;
}

/** What `--investigation-id` gave: the id, and what a recorded task adds. */
export interface GivenId {
  id: string;
  oid?: string;
  sid?: string;
  tasks?: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `--investigation-id` in the forms a person finds it: the id itself; URL-encoded (a form body,
 * `investigation_id=svc-…%2F…`, as the task reached LimaCharlie); or a task as the LC cloud
 * stand-in records it (`cloud.tasks`: `{"oid", "sid", "tasks", "investigationId", …}`).
 */
export function readGivenId(text: string): GivenId {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let task: unknown;
    try {
      task = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`--investigation-id: not JSON: ${(err as Error).message}`);
    }
    const id = isObject(task) ? task.investigationId : undefined;
    if (!isObject(task) || typeof id !== 'string') {
      throw new UsageError(
        '--investigation-id: a task recorded by the stand-in has "investigationId"',
      );
    }
    const nonEmpty = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const tasks = Array.isArray(task.tasks)
      ? task.tasks.filter((t): t is string => typeof t === 'string')
      : [];
    return { id, oid: nonEmpty(task.oid), sid: nonEmpty(task.sid), tasks };
  }
  let id = trimmed.startsWith('investigation_id=')
    ? trimmed.slice('investigation_id='.length)
    : trimmed;
  if (!id.includes('/') && /%2f/i.test(id)) {
    try {
      id = decodeURIComponent(id.replace(/\+/g, ' '));
    } catch {
      throw new UsageError('--investigation-id: a malformed URL-encoding');
    }
  }
  return { id };
}

/** `svc-<service>-ex`'s service; a UsageError when the id is not one an InteractiveService makes. */
export function serviceOf(id: string): string {
  const root = id.split('/', 1)[0]!;
  const m = /^svc-(.+)-ex$/.exec(root);
  if (m === null || parseInvestigationId(id) === undefined) {
    throw new UsageError(
      `--investigation-id: "${id.slice(0, 200)}" is not svc-<service>-ex/<key>/<job id>/<context>`,
    );
  }
  return m[1]!;
}

/** LimaCharlie's reply event for a command line: `os_packages …` → `OS_PACKAGES_REP`. */
export function replyEventType(command: string): string | undefined {
  const word = command.trim().split(/\s+/, 1)[0] ?? '';
  return /^[a-z][a-z0-9_]*$/i.test(word) ? `${word.toUpperCase()}_REP` : undefined;
}

/** `lc-sim reply`'s command line; `help` when --help was asked for. Throws UsageError. */
export function parseReplyOptions(args: string[]): ReplyOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        url: { type: 'string' },
        secret: { type: 'string' },
        'investigation-id': { type: 'string' },
        sid: { type: 'string' },
        oid: { type: 'string' },
        jwt: { type: 'string', default: '' },
        event: { type: 'string' },
        'event-file': { type: 'string' },
        'event-type': { type: 'string' },
        deadline: { type: 'string', default: '590' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    // parseArgs' own refusals: an unknown flag, a flag without its value, a stray argument.
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const missing = (['url', 'secret', 'investigation-id'] as const).filter(
    (k) => values[k] === undefined,
  );
  const { url, secret } = values;
  const idText = values['investigation-id'];
  if (url === undefined || secret === undefined || idText === undefined) {
    throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  }
  if (values.event !== undefined && values['event-file'] !== undefined) {
    throw new UsageError('--event and --event-file: give one');
  }
  const given = readGivenId(idText);
  const serviceName = serviceOf(given.id);
  const sid = values.sid ?? given.sid;
  if (sid === undefined || sid === '') {
    throw new UsageError('missing --sid (the sensor that replies), or give the task as recorded');
  }
  const eventType = values['event-type'] ?? replyEventType(given.tasks?.[0] ?? '');
  if (eventType === undefined || eventType === '') {
    throw new UsageError('missing --event-type (the reply event, e.g. OS_PROCESSES_REP)');
  }
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(`--url: "${url}" is not a URL`);
  }
  if (target.pathname === '/' || target.pathname === '') {
    target.pathname = `/${encodeURIComponent(serviceName)}`;
  }
  return {
    url: target.toString(),
    secret,
    investigationId: given.id,
    serviceName,
    sid,
    oid: values.oid ?? given.oid ?? '',
    jwt: values.jwt,
    event: values.event,
    eventFile: values['event-file'],
    eventType,
    deadline: values.deadline,
    json: values.json,
  };
}
