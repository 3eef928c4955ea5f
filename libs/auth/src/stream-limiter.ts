import { ResourceExhaustedError } from '@checkwire/errors';
import type { Principal } from './principal.js';

/** Open streams one caller may hold at once, per server. @default */
export const DEFAULT_STREAMS_PER_CALLER = 32;

/**
 * Counts the open streams of each caller (a token, or the public by address) and refuses one past
 * the limit, so no caller can hold a server's memory and connections with streams it never reads.
 */
export class StreamLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit = DEFAULT_STREAMS_PER_CALLER) {}

  /** Takes a slot for the caller; call the returned function once the stream ends. */
  acquire(principal: Principal, peer: string): () => void {
    const key = 'tokenId' in principal ? `token:${principal.tokenId}` : `peer:${hostOf(peer)}`;
    const n = this.open.get(key) ?? 0;
    if (n >= this.limit) {
      throw new ResourceExhaustedError(
        `this caller already has ${n} open streams on this server (at most ${this.limit}); ` +
          'close one before opening another',
      );
    }
    this.open.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }
}

/** `ipv4:127.0.0.1:5000` → `ipv4:127.0.0.1` (the public is counted per address, not per port). */
function hostOf(peer: string): string {
  const i = peer.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(peer.slice(i + 1)) ? peer.slice(0, i) : peer;
}
