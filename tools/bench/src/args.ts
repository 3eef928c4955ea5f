import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Measured seconds per scenario. @default 10 */
  seconds: number;
  /** Unmeasured seconds before each scenario. @default 2 */
  warmup: number;
  /** Concurrent clients for echo and lifecycles. @default 64 */
  concurrency: number;
  /** Scores per batch call. @default 1000 */
  batchSize: number;
  /** Concurrent batch callers. @default 2 */
  batchConcurrency: number;
  /** Which figures: all, scoring (a–c + tracing), lc (a, d, e) or scheduler (f, g). @default all */
  only: 'all' | 'scoring' | 'lc' | 'scheduler';
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '64' },
      'batch-size': { type: 'string', default: '1000' },
      'batch-concurrency': { type: 'string', default: '2' },
      only: { type: 'string', default: 'all' },
    },
  });
  const int = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a whole number, got ${raw}`);
    return n;
  };
  return {
    seconds: int('seconds', values.seconds),
    warmup: int('warmup', values.warmup),
    concurrency: int('concurrency', values.concurrency),
    batchSize: int('batch-size', values['batch-size']),
    batchConcurrency: int('batch-concurrency', values['batch-concurrency']),
    only: onlyOf(values.only),
  };
}

function onlyOf(raw: string): BenchArgs['only'] {
  if (raw === 'all' || raw === 'scoring' || raw === 'lc' || raw === 'scheduler') return raw;
  throw new Error(`--only must be all, scoring, lc or scheduler, got ${raw}`);
}
