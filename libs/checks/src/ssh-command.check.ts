import type { Client } from 'ssh2';
import { down, up, type Check } from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';
import { serverText } from './server-reply.js';
import { sshFailure, withSshSession } from './ssh-command.session.js';

interface Outcome {
  /** The exit status, or the signal that ended the command (null: the server sent neither). */
  status: number | string | null;
  output: Buffer;
}

/** Runs `command`, keeping stdout and stderr together, at most MAX_CONVERSATION_BYTES of them. */
function run(client: Client, command: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err !== undefined) {
        reject(Object.assign(err, { refused: true }));
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      let status: number | string | null = null;
      const take = (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_CONVERSATION_BYTES) {
          stream.destroy();
          reject(new LimitExceededError(`more than ${MAX_CONVERSATION_BYTES} bytes of output`));
        } else chunks.push(chunk);
      };
      stream.on('data', take);
      stream.stderr.on('data', take);
      stream.on(
        'exit',
        (code: number | null, signal?: string) => (status = code ?? signal ?? null),
      );
      stream.on('close', () => resolve({ status, output: Buffer.concat(chunks) }));
    });
  });
}

/**
 * SSH command: logs in with the password, runs the command `info` names, and needs exit status 0
 * and `expect` (when set) in its output (stdout and stderr, at most MAX_CONVERSATION_BYTES).
 * Neither the command nor its output is quoted in a result: either may hold a secret.
 */
export const sshCommandCheck: Check = async (t, { timeoutMs }) => {
  const what = `ssh-command ${t.host}`;
  if (t.info === '') return down('other', `${what}: no command to run`);
  try {
    const { status, output } = await withSshSession(
      t,
      DEFAULT_PORTS['ssh-command'],
      timeoutMs,
      (c) => run(c, t.info),
    );
    if (status === null)
      return down('content', `${what}: the command ended without an exit status`);
    if (typeof status === 'string') {
      return down('content', `${what}: the command was ended by signal ${serverText(status)}`);
    }
    if (status !== 0) return down('content', `${what}: the command exited with status ${status}`);
    if (t.expect !== '' && !output.includes(t.expect)) {
      return down(
        'content',
        `${what}: the command's output does not contain the expected text`,
        `expected: ${t.expect}`,
      );
    }
    return up(
      `${what}: the command exited 0${t.expect === '' ? '' : ' with the expected text'}`,
      output,
    );
  } catch (err) {
    if ((err as { refused?: boolean }).refused === true) {
      return down('content', `${what}: the server refused to run a command`);
    }
    return sshFailure(err, what, t.username);
  }
};
