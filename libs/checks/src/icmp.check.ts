import { execFile } from 'node:child_process';
import { down, up, withTimeout, type Check } from './check.js';
import { serverText } from './server-reply.js';

/** Where Debian's iputils-ping puts it (it needs no root: it uses ICMP datagram sockets or caps). */
export const PING_BINARY = '/usr/bin/ping';
/** Echo requests per check: one lost packet does not make a host down. */
const COUNT = 3;
/** ping's own output is a few hundred bytes; more is not read. */
const MAX_OUTPUT_BYTES = 64 * 1024;

/** A host name or address, never an option (`-f`, `--help`): checked before it becomes an argument. */
const HOST = /^[A-Za-z0-9:][A-Za-z0-9.:-]{0,252}$/;

interface PingRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ping(host: string, deadlineSeconds: number, signal: AbortSignal): Promise<PingRun> {
  const args = ['-n', '-c', String(COUNT), '-i', '0.2', '-w', String(deadlineSeconds), host];
  return new Promise((resolve, reject) => {
    execFile(
      PING_BINARY,
      args,
      // The C locale: the summary is parsed; no shell; nothing but the host comes from outside.
      { env: { LC_ALL: 'C', PATH: '/usr/bin:/bin' }, maxBuffer: MAX_OUTPUT_BYTES, signal },
      (err, stdout, stderr) => {
        // An exit code is ping's answer; anything else (not started, aborted, too much output)
        // is an error.
        if (err === null) return resolve({ code: 0, stdout, stderr });
        if (typeof err.code === 'number') return resolve({ code: err.code, stdout, stderr });
        reject(Object.assign(new Error(err.message), { code: err.code }));
      },
    );
  });
}

/**
 * ICMP echo through the system's `ping` (Node has no raw sockets): up when any of three echo
 * requests is answered within the time limit. No reply is "timeout"; an unreachable host or
 * network, or a name that does not resolve, is "connection". Uses only the host.
 */
export const icmpCheck: Check = async (t, { timeoutMs }) => {
  const what = `icmp ${t.host}`;
  if (!HOST.test(t.host)) return down('other', `${what}: not a host name or address`);
  const abort = new AbortController();
  try {
    const run = await withTimeout(
      // ping's own deadline a second inside the limit: its verdict (no reply, unreachable) has
      // time to arrive before the limit cuts it off as a plain timeout.
      ping(t.host, Math.max(1, Math.floor((timeoutMs - 1000) / 1000)), abort.signal),
      timeoutMs,
      () => abort.abort(),
    );
    const summary = /(\d+) packets transmitted, (\d+) received/.exec(run.stdout);
    if (summary !== null && Number(summary[2]) > 0) {
      return up(`${what}: ${summary[2]} of ${summary[1]} echo requests answered`);
    }
    if (summary !== null) {
      if (/unreachable|\+\d+ errors/i.test(run.stdout)) {
        return down('connection', `${what}: unreachable`);
      }
      return down('timeout', `${what}: no echo reply to ${summary[1]} requests`);
    }
    const said = serverText(run.stderr.trim().replace(/^(\/usr\/bin\/)?ping: /, ''));
    if (/resolution|not known|no route|unreachable/i.test(said))
      return down('connection', `${what}: ${said}`);
    return down('other', `${what}: ping failed (exit ${run.code}): ${said}`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Aborting ping at the time limit may reject the run before the timeout itself does.
    if (code === 'CHECK_TIMEOUT' || abort.signal.aborted)
      return down('timeout', `${what}: timed out`);
    if (code === 'ENOENT')
      return down('other', `${what}: ${PING_BINARY} is missing (iputils-ping)`);
    return down('other', `${what}: ${(err as Error).message}`);
  }
};
