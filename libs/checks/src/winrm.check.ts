import {
  down,
  fromNetworkError,
  up,
  type Check,
  type CheckResult,
  type CheckTarget,
} from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { tlsFailure } from './ldap.connection.js';
import { MAX_HTTP_HEADER_BYTES } from './limits.js';
import { serverText } from './server-reply.js';
import {
  CertificateError,
  HttpStatusError,
  LoginRefusedError,
  WsmanFaultError,
} from './winrm.errors.js';
import type { Received } from './winrm.soap.js';
import { WinrmShell } from './winrm.shell.js';
import { basicCredentials, WsmanTransport } from './winrm.transport.js';
import { xmlCanCarry } from './winrm.xml.js';

/**
 * How long the server may hold a request (a Receive waits that long for output): the check's
 * time limit in whole seconds, at most pywinrm's default of 20 (Windows accepts none above its
 * MaxTimeoutms, 60 s by default).
 */
const operationTimeoutS = (timeoutMs: number) =>
  Math.min(20, Math.max(1, Math.ceil(timeoutMs / 1000)));

interface Outcome {
  exitCode: number | undefined;
  /** stdout and stderr together, in the order the server sent them. */
  output: Buffer;
}

/** Receives until the command is done; a Receive that met its OperationTimeout is asked again. */
async function receiveAll(shell: WinrmShell, shellId: string, commandId: string): Promise<Outcome> {
  const output: Buffer[] = [];
  for (;;) {
    let received: Received;
    try {
      received = await shell.receive(shellId, commandId);
    } catch (err) {
      if (err instanceof WsmanFaultError && err.timedOut) continue;
      throw err;
    }
    output.push(...received.output);
    if (received.done) return { exitCode: received.exitCode, output: Buffer.concat(output) };
  }
}

/**
 * Create, Command, Receive until done, then Signal terminate and Delete, as pywinrm's run_cmd. The
 * clean-up is best effort (its failures do not change the command's outcome), but it is tried
 * after a fault too: Windows allows a user 30 shells (MaxShellsPerUser), and a shell left behind
 * stays until its idle timeout.
 */
async function runInShell(shell: WinrmShell, commandLine: string): Promise<Outcome> {
  const shellId = await shell.create();
  try {
    const commandId = await shell.command(shellId, commandLine);
    const outcome = await receiveAll(shell, shellId, commandId);
    await shell.terminate(shellId, commandId).catch(() => undefined);
    return outcome;
  } finally {
    await shell.delete(shellId).catch(() => undefined);
  }
}

/** A failed conversation as a result; the server's text is clipped and never shows a secret. */
function winrmFailure(err: unknown, what: string, t: CheckTarget): CheckResult {
  const secrets = [t.password, basicCredentials(t.username, t.password)];
  if (err instanceof LoginRefusedError) {
    const basic = err.offered.length === 0 || err.offered.some((s) => /^basic$/i.test(s));
    const offered = basic ? '' : `; Basic not offered, only ${serverText(err.offered.join(', '))}`;
    return down('credentials', `${what}: login as ${t.username} refused (HTTP 401${offered})`);
  }
  if (err instanceof WsmanFaultError) {
    const { code, subcode, reason } = err.fault;
    return down(
      err.accessDenied ? 'credentials' : 'content',
      `${what}: ${err.operation} answered a SOAP fault ${serverText(subcode || code, secrets)}: ${serverText(reason, secrets)}`,
    );
  }
  if (err instanceof HttpStatusError) return down('content', `${what}: ${err.message}`);
  if (err instanceof CertificateError) {
    return down('content', `${what}: certificate not trusted (${err.message})`);
  }
  const code = (err as { code?: unknown }).code;
  if (code === 'HPE_HEADER_OVERFLOW') {
    return down('content', `${what}: headers longer than ${MAX_HTTP_HEADER_BYTES} bytes`);
  }
  if (typeof code === 'string' && code.startsWith('HPE_')) {
    return down('content', `${what}: not an HTTP answer (${code})`);
  }
  return tlsFailure(err, what) ?? fromNetworkError(err, what);
}

/**
 * WinRM: logs in with HTTP Basic, runs the command `info` names in a cmd shell (WS-Management's
 * remote shell, MS-WSMV), and needs exit code 0 and `expect` (when set) in its output (stdout and
 * stderr). The output is the result's content. Neither the command nor its output is quoted in a
 * result: either may hold a secret. winrm-https does not verify certificates (competition services
 * are self-signed) unless the service's HTTP settings ask to (`verifyTls`).
 */
export function winrmCheck(scheme: 'http' | 'https'): Check {
  const protocol = scheme === 'https' ? 'winrm-https' : 'winrm';
  return async (t, { timeoutMs }) => {
    const what = `${protocol} ${t.host}`;
    if (t.info === '') return down('other', `${what}: no command to run`);
    if (!xmlCanCarry(t.info)) {
      return down('other', `${what}: the command holds a character XML cannot carry`);
    }
    if (t.username.includes(':')) {
      return down('other', `${what}: a user name with ":" cannot log in with HTTP Basic`);
    }
    const transport = new WsmanTransport(
      {
        scheme,
        host: t.host,
        port: t.port || DEFAULT_PORTS[protocol],
        username: t.username,
        password: t.password,
        verifyTls: scheme === 'https' && t.settings.http.verifyTls,
      },
      Date.now() + timeoutMs,
    );
    try {
      const shell = new WinrmShell(transport, operationTimeoutS(timeoutMs));
      const { exitCode, output } = await runInShell(shell, t.info);
      if (exitCode === undefined) {
        return down('content', `${what}: the command ended without an exit code`);
      }
      if (exitCode !== 0) {
        return down('content', `${what}: the command exited with status ${exitCode}`);
      }
      if (t.expect !== '' && !output.includes(t.expect)) {
        return down(
          'content',
          `${what}: the command's output does not contain the expected text`,
          `expected: ${t.expect}`,
        );
      }
      const withText = t.expect === '' ? '' : ' with the expected text';
      return up(`${what}: the command exited 0${withText}`, output);
    } catch (err) {
      return winrmFailure(err, what, t);
    } finally {
      transport.cut(new Error('the check is over'));
    }
  };
}
