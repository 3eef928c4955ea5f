import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { isExtensionRun, runExtensionSimulator } from './extension.js';
import { parseOptions, USAGE, UsageError, type SimOptions } from './options.js';
import { isAnswer, renderResponse } from './render.js';
import { runReply } from './reply.js';

// Sends one callback to a gateway exactly as LimaCharlie does (lcservice's simulator): the body
// {data, oid, deadline, mid, etype, jwt} rendered with sorted keys, signed with the origin
// secret, POSTed as application/json by "lc-services"; prints the answer for a person.
// Exit code: 0 a success (HTTP 200, "success": true), 1 any other answer or none, 2 usage.

function optionsOrExit(): SimOptions {
  try {
    const options = parseOptions(process.argv.slice(2));
    if (options !== 'help') return options;
    console.log(USAGE);
    process.exit(0);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`lc-sim: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
}

function readDataText(options: SimOptions): string {
  if (options.dataFile === undefined) return options.data ?? '{}';
  try {
    return readFileSync(options.dataFile, 'utf8');
  } catch (err) {
    console.error(
      `--data-file: cannot read ${options.dataFile} (${(err as NodeJS.ErrnoException).code})`,
    );
    process.exit(2);
  }
}

// `lc-sim reply …`: a sensor's reply to a task (src/reply.ts).
if (process.argv[2] === 'reply') process.exit(await runReply(process.argv.slice(3)));
// --extension: LimaCharlie's Extensions protocol instead (extension.ts).
if (isExtensionRun(process.argv)) process.exit(await runExtensionSimulator(process.argv.slice(2)));

const options = optionsOrExit();
let data: unknown;
try {
  data = JSON.parse(readDataText(options));
} catch (err) {
  console.error(`--data is not JSON: ${(err as Error).message}`);
  process.exit(2);
}
const deadline = Number(options.deadline);
if (options.deadline.trim() === '' || !Number.isFinite(deadline)) {
  console.error(`--deadline must be a number of seconds, got "${options.deadline}"`);
  process.exit(2);
}
// Every field, always, as lcservice's simulator sends them (oid and jwt empty when not given).
const body = {
  data,
  deadline: Math.floor(Date.now() / 1000) + deadline,
  etype: options.etype,
  jwt: options.jwt,
  mid: randomUUID(),
  oid: options.oid,
};
const bytes = canonicalBody(body);
let res: Response;
try {
  res = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'lc-services',
      [SIGNATURE_HEADER]: sign(options.secret, bytes),
    },
    body: bytes,
  });
} catch (err) {
  const cause = (err as { cause?: unknown }).cause;
  console.error(
    `could not reach ${options.url}: ${cause instanceof Error ? cause.message : String(err)}`,
  );
  process.exit(1);
}
const text = await res.text();
let answer: unknown;
try {
  answer = JSON.parse(text);
} catch {
  answer = undefined;
}
if (!isAnswer(answer)) {
  // Not a gateway answer (a proxy's error page, another server): show it as it came.
  console.log(`HTTP ${res.status} (not a LimaCharlie answer):\n${text}`);
  process.exitCode = 1;
} else {
  console.log(options.json ? JSON.stringify(answer, null, 2) : renderResponse(res.status, answer));
  process.exitCode = res.status === 200 && 'success' in answer && answer.success ? 0 : 1;
}
