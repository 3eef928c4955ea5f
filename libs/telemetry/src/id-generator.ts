import { randomFillSync } from 'node:crypto';
// A type only: the SDK itself is loaded only when spans are exported (see telemetry.ts).
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

interface ChosenIds {
  traceId: string;
  spanId: string;
}

let chosen: ChosenIds | undefined;

/**
 * Random ids, except inside `withChosenIds`: a check span is emitted at "done" (perhaps by
 * another replica, perhaps after a restart) with the ids it was given at "in progress", so the
 * children recorded meanwhile already point at it. The SDK asks for ids synchronously inside
 * `startSpan`, so a module-level slot is enough.
 */
export class CheckwireIdGenerator implements IdGenerator {
  generateTraceId(): string {
    return chosen?.traceId ?? randomTraceId();
  }

  generateSpanId(): string {
    return chosen?.spanId ?? randomSpanId();
  }
}

/** Runs `start` (which must start exactly one span, synchronously) with these ids. */
export function withChosenIds<T>(ids: ChosenIds, start: () => T): T {
  chosen = ids;
  try {
    return start();
  } finally {
    chosen = undefined;
  }
}

/** Ids are drawn from a pooled buffer: one syscall per 512 ids, not one per span. */
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `bytes` random bytes as lowercase hex, never all zeros (an invalid id in W3C trace context). */
function randomHex(bytes: number): string {
  for (;;) {
    if (used + bytes > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const id = pool.toString('hex', used, used + bytes);
    used += bytes;
    if (/[^0]/.test(id)) return id;
  }
}

export function randomTraceId(): string {
  return randomHex(16);
}

export function randomSpanId(): string {
  return randomHex(8);
}
