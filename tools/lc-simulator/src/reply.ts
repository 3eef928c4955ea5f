import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { UsageError } from './options.js';
import { replyDetection } from './reply-detection.js';
import { parseReplyOptions, REPLY_USAGE, type ReplyOptions } from './reply-options.js';
import { sendAndPrint } from './send.js';

// `lc-sim reply`: plays a sensor's reply to a task of an InteractiveService, as LimaCharlie sends
// it (a `detection` callback carrying the task's investigation id), signed, and prints the answer.

/** A one-line refusal of what the person gave (exit code 2). */
class BadInput extends Error {}

function readEvent(options: ReplyOptions): Record<string, unknown> {
  let text = options.event ?? '{}';
  if (options.eventFile !== undefined) {
    try {
      text = readFileSync(options.eventFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new BadInput(`--event-file: cannot read ${options.eventFile} (${code})`);
    }
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (err) {
    throw new BadInput(`--event is not JSON: ${(err as Error).message}`);
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new BadInput('--event must be a JSON object (the reply event, e.g. {"PROCESSES": []})');
  }
  return event as Record<string, unknown>;
}

/** Runs `lc-sim reply ARGS`; the exit code. */
export async function runReply(args: string[]): Promise<number> {
  let options: ReplyOptions;
  let event: Record<string, unknown>;
  let deadline: number;
  try {
    const parsed = parseReplyOptions(args);
    if (parsed === 'help') {
      console.log(REPLY_USAGE);
      return 0;
    }
    options = parsed;
    event = readEvent(options);
    deadline = Number(options.deadline);
    if (options.deadline.trim() === '' || !Number.isFinite(deadline)) {
      throw new BadInput(`--deadline must be a number of seconds, got "${options.deadline}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) console.error(`lc-sim reply: ${err.message}\n${REPLY_USAGE}`);
    else if (err instanceof BadInput) console.error(err.message);
    else throw err;
    return 2;
  }
  // Every field, as lcservice's simulator sends them (oid and jwt empty when not given).
  const body = {
    data: replyDetection({ ...options, event }),
    deadline: Math.floor(Date.now() / 1000) + deadline,
    etype: 'detection',
    jwt: options.jwt,
    mid: randomUUID(),
    oid: options.oid,
  };
  return sendAndPrint(options.url, options.secret, body, options.json);
}
