import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackLimits } from '@checkwire/lc-wire';
import type { BodyBudget } from './body-budget.js';
import { recordRefusal } from './callback-metrics.js';
import { HttpError, overBudget, send } from './http-error.js';

export interface ReceivedBody {
  readonly size: number;
  /** The body as it came, in pieces (never concatenated: no second copy). */
  readonly chunks: readonly Buffer[];
  /** Gives the body's bytes back to the budget and drops them (once; later calls do nothing). */
  release(): void;
}

/**
 * The body, under the per-request cap (413, by Content-Length or as the bytes pass it) and the
 * shared budget (503); `onChunk` sees every byte kept. Bytes after a refusal are read and dropped
 * (by `guardBodyRate`, which also ends a body that is too slow).
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  budget: BodyBudget,
  onChunk: (chunk: Buffer) => void,
): Promise<ReceivedBody> {
  const tooLarge = () => new HttpError(413, `body larger than ${limit} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let held = 0;
    const release = () => {
      budget.give(held);
      held = 0;
      chunks.length = 0;
    };
    // The socket, not the request: once an answer is out (408, 503), Node no longer tells the
    // request that its connection went.
    const cutShort = () => fail(new HttpError(400, 'the request was cut short'));
    const stop = () => {
      req.off('data', onData);
      req.socket.off('close', cutShort);
    };
    const fail = (err: HttpError) => {
      stop();
      chunks.length = 0;
      release();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (held + chunk.length > limit) return fail(tooLarge());
      if (!budget.take(chunk.length)) return fail(overBudget());
      held += chunk.length;
      chunks.push(chunk);
      onChunk(chunk);
    };
    req.on('data', onData);
    req.socket.once('close', cutShort);
    req.once('end', () => {
      stop();
      resolve({ size: held, chunks, release });
    });
  });
}

/**
 * Ends a request whose body arrives slower than `minBodyBytesPerSecond` on average once
 * `bodyGraceMs` have passed: 408 when nothing was answered yet, then the connection is closed.
 * It also reads (and drops) a body nobody else reads, e.g. after a 404 or a 413.
 */
export function guardBodyRate(
  req: IncomingMessage,
  res: ServerResponse,
  limits: CallbackLimits,
): void {
  const start = Date.now();
  let received = 0;
  const check = () => {
    const due = start + limits.bodyGraceMs + (received * 1000) / limits.minBodyBytesPerSecond;
    if (due > Date.now()) {
      timer = setTimeout(check, due - Date.now());
    } else if (res.headersSent) {
      req.socket.destroy();
    } else {
      recordRefusal(408);
      send(res, 408, { error: 'request body too slow' }, { connection: 'close' });
    }
  };
  let timer = setTimeout(check, limits.bodyGraceMs);
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}
