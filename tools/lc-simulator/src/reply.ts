import { randomUUID } from 'node:crypto';
import { BadInput, deadlineSeconds, parseJsonFlag, readFlagFile, refusal } from './input.js';
import { replyDetection } from './reply-detection.js';
import { parseReplyOptions, REPLY_USAGE, type ReplyOptions } from './reply-options.js';
import { sendAndPrint } from './send.js';

// `lc-sim reply`: plays a sensor's reply to a task of an InteractiveService, as LimaCharlie sends
// it (a `detection` callback carrying the task's investigation id), signed, and prints the answer.

function readEvent(options: ReplyOptions): Record<string, unknown> {
  const flag = options.eventFile === undefined ? '--event' : '--event-file';
  const text =
    options.eventFile === undefined
      ? (options.event ?? '{}')
      : readFlagFile('--event-file', options.eventFile);
  const event = parseJsonFlag(flag, text);
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new BadInput(`${flag} must be a JSON object (the reply event, e.g. {"PROCESSES": []})`);
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
    deadline = deadlineSeconds(options.deadline);
  } catch (err) {
    return refusal(err, 'lc-sim reply', REPLY_USAGE);
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
