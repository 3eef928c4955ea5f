import { randomUUID } from 'node:crypto';
import { isExtensionRun, runExtensionSimulator } from './extension.js';
import { deadlineSeconds, parseJsonFlag, readFlagFile, refusal } from './input.js';
import { parseOptions, USAGE, type SimOptions } from './options.js';
import { runReply } from './reply.js';
import { sendAndPrint } from './send.js';

// Sends one callback to a gateway exactly as LimaCharlie does (lcservice's simulator): the body
// {data, oid, deadline, mid, etype, jwt} rendered with sorted keys, signed with the origin
// secret, POSTed as application/json by "lc-services"; prints the answer for a person.
// Exit code: 0 a success (HTTP 200, "success": true), 1 any other answer or none, 2 usage.

async function runCallback(args: string[]): Promise<number> {
  let options: SimOptions;
  let body: unknown;
  try {
    const parsed = parseOptions(args);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    options = parsed;
    const data =
      options.dataFile === undefined
        ? parseJsonFlag('--data', options.data ?? '{}')
        : parseJsonFlag('--data-file', readFlagFile('--data-file', options.dataFile));
    const deadline = deadlineSeconds(options.deadline);
    // Every field, always, as lcservice's simulator sends them (oid and jwt empty when not given).
    body = {
      data,
      deadline: Math.floor(Date.now() / 1000) + deadline,
      etype: options.etype,
      jwt: options.jwt,
      mid: randomUUID(),
      oid: options.oid,
    };
  } catch (err) {
    return refusal(err, 'lc-sim', USAGE);
  }
  return sendAndPrint(options.url, options.secret, body, options.json);
}

/** Which run the command line asks for: a sensor's reply, an extension message, or a callback. */
function run(argv: string[]): Promise<number> {
  // `lc-sim reply …`: a sensor's reply to a task (src/reply.ts).
  if (argv[2] === 'reply') return runReply(argv.slice(3));
  // --extension: LimaCharlie's Extensions protocol instead (extension.ts).
  if (isExtensionRun(argv)) return runExtensionSimulator(argv.slice(2));
  return runCallback(argv.slice(2));
}

// exitCode, not exit(): the process ends once stdout is written out, so a piped answer is whole.
process.exitCode = await run(process.argv);
