import { createSocket as createUdpSocket } from 'node:dgram';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { NO_CHECK_SETTINGS } from '@checkwire/check-settings';
import { CHECKS, type Check, type CheckTarget } from '../src/index.js';

// What the check tests share: a target on 127.0.0.1, servers on port 0, the check by name.

export const OPTIONS = { timeoutMs: 2000 };

export const target = (port: number, over: Partial<CheckTarget> = {}): CheckTarget => ({
  host: '127.0.0.1',
  port,
  url: '127.0.0.1',
  expect: '',
  info: '',
  username: '',
  password: '',
  settings: NO_CHECK_SETTINGS,
  ...over,
});

export const portOf = (s: { address(): AddressInfo | string | null }) =>
  (s.address() as AddressInfo).port;

export const listen = <S extends Server>(s: S) =>
  new Promise<S>((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = await listen(createNetServer());
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

/** The built-in check for a protocol. */
export function check(protocol: string): Check {
  const found = CHECKS.get(protocol);
  if (found === undefined) throw new Error(`no built-in check ${protocol}`);
  return found;
}

/** ftp-srv logs every refused login at error level; these are expected here. */
export const quietLog = {
  child: () => quietLog,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A TCP server that accepts and never says a word. */
export async function silentTcpServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const s = await listen(createNetServer((c) => sockets.add(c)));
  return {
    port: portOf(s),
    close: () =>
      new Promise((resolve) => {
        for (const c of sockets) c.destroy();
        s.close(() => resolve());
      }),
  };
}

/** A TCP server that answers a client's first bytes once with `answer`, then waits. */
export async function answerOnceServer(
  answer: string | Buffer,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const s = await listen(
    createNetServer((c) => {
      sockets.add(c);
      c.on('error', () => undefined);
      c.once('data', () => c.write(answer));
    }),
  );
  return {
    port: portOf(s),
    close: () =>
      new Promise((resolve) => {
        for (const c of sockets) c.destroy();
        s.close(() => resolve());
      }),
  };
}

/** A UDP server that answers each datagram with what `reply` gives (nothing when undefined). */
export async function udpServer(
  reply: (request: Buffer) => Buffer | Buffer[] | undefined,
): Promise<{ port: number; close(): Promise<void> }> {
  const socket = createUdpSocket('udp4');
  socket.on('message', (request, from) => {
    const answer = reply(request);
    for (const d of answer === undefined ? [] : [answer].flat())
      socket.send(d, from.port, from.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { port: socket.address().port, close: () => new Promise((r) => socket.close(() => r())) };
}

/** A UDP port nothing listens on. */
export async function closedUdpPort(): Promise<number> {
  const s = await udpServer(() => undefined);
  await s.close();
  return s.port;
}
