import { createServer, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { listen, portOf } from './helpers.js';

// Stand-ins for what no real server does to the rdp check's login: after RDP's negotiation
// (CredSSP selected) and the TLS handshake, they answer the client's TSRequests with malformed,
// refusing or hostile messages.

/** A Connection Confirm selecting CredSSP (PROTOCOL_HYBRID). */
const CONFIRM_HYBRID = Buffer.from([
  3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 2, 0, 0, 0,
]);

/** What answers the client's n-th TSRequest: bytes, nothing (undefined), or bytes without end. */
export type Answer = Buffer | undefined | { flood: Buffer };

export interface CredsspStandIn {
  port: number;
  /** Bytes of a flood written before the client hung up. */
  hungUp: Promise<number>;
  close(): Promise<void>;
}

export async function credsspStandIn(
  tls: { cert: Buffer; key: Buffer },
  answers: Answer[],
): Promise<CredsspStandIn> {
  let hungUp: (n: number) => void = () => undefined;
  const hung = new Promise<number>((r) => (hungUp = r));
  const sockets = new Set<Socket>();
  const s = await listen(
    createServer((c) => {
      sockets.add(c);
      c.on('error', () => undefined);
      c.once('data', () => {
        c.write(CONFIRM_HYBRID);
        const secure = new TLSSocket(c, { isServer: true, ...tls });
        secure.on('error', () => undefined);
        let n = 0;
        secure.on('data', () => {
          const answer = answers[n++];
          if (answer === undefined) return;
          if (Buffer.isBuffer(answer)) {
            secure.write(answer);
            return;
          }
          let written = 0;
          c.once('close', () => hungUp(written));
          const more = () => {
            if (secure.destroyed) return;
            if (secure.write(answer.flood, (err) => err || (written += answer.flood.length)))
              setImmediate(more);
            else secure.once('drain', more);
          };
          more();
        });
      });
    }),
  );
  return {
    port: portOf(s),
    hungUp: hung,
    close: () =>
      new Promise((resolve) => {
        for (const c of sockets) c.destroy();
        s.close(() => resolve());
      }),
  };
}
