import { createLogger } from '@checkwire/log';

const LOG = createLogger('lc-sdk');

/** A running schedule or delay; `cancel()` stops it. */
export interface Cancellable {
  cancel(): void;
}

function runLogged(name: string, fn: () => unknown): void {
  Promise.resolve()
    .then(fn)
    .catch((err: unknown) => LOG.failure(`${name} failed`, err));
}

/** lcservice `schedule`: runs `fn` every `intervalMs` (errors are logged, the schedule goes on). */
export function schedule(intervalMs: number, fn: () => unknown): Cancellable {
  const timer = setInterval(() => runLogged('scheduled function', fn), intervalMs);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
}

/** lcservice `delay`: runs `fn` once after `delayMs`. */
export function delay(delayMs: number, fn: () => unknown): Cancellable {
  const timer = setTimeout(() => runLogged('delayed function', fn), delayMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}

export class ParallelTimeoutError extends Error {
  constructor(ms: number) {
    super(`did not finish within ${ms} ms`);
    this.name = 'ParallelTimeoutError';
  }
}

/**
 * lcservice `parallelExec`: applies `fn` to every item with at most `maxConcurrent` at a time;
 * each result, or the Error it failed with, in input order (lcservice's come in completion
 * order). Never throws for an item. `timeoutMs` bounds each item from its start, as lcservice
 * does (it wraps each call in its own `gevent.Timeout`): an item still running then is a
 * ParallelTimeoutError, and the next item starts.
 */
export async function parallelExec<T, R>(
  fn: (item: T) => Promise<R> | R,
  items: readonly T[],
  options: { maxConcurrent?: number; timeoutMs?: number } = {},
): Promise<(R | Error)[]> {
  const results: (R | Error)[] = new Array<R | Error>(items.length);
  const limit = Math.max(1, options.maxConcurrent ?? items.length);
  let next = 0;
  const one = async (item: T): Promise<R | Error> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = Promise.resolve().then(() => fn(item));
      if (options.timeoutMs === undefined) return await work;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ParallelTimeoutError(options.timeoutMs!)),
          options.timeoutMs,
        );
      });
      return await Promise.race([work, timeout]);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    } finally {
      clearTimeout(timer);
    }
  };
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await one(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * lcservice `parallelExecEx`: `parallelExec` over the values of `items`, each result paired with
 * its key, in the keys' order.
 */
export async function parallelExecEx<T, R>(
  fn: (item: T) => Promise<R> | R,
  items: Readonly<Record<string, T>> | ReadonlyMap<string, T>,
  options: { maxConcurrent?: number; timeoutMs?: number } = {},
): Promise<[string, R | Error][]> {
  const entries = items instanceof Map ? [...items.entries()] : Object.entries(items);
  const results = await parallelExec(([, item]: [string, T]) => fn(item), entries, options);
  return entries.map(([key], i) => [key, results[i]!]);
}
