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
  /**
   * Which figures: all, scoring (a–c + tracing), lc (a, d, e), scheduler (f, g), scoreboard (i)
   * or console (j). @default all
   */
  only: 'all' | 'scoring' | 'lc' | 'scheduler' | 'scoreboard' | 'console' | 'start';
  /** Rounds of scores the scoreboard figure loads (100 teams × 20 services each). @default 1000 */
  scoreboardRounds: number;
  /** Apps (by name, or `all`) run under V8's CPU profiler and summarised at the end. @default none */
  profile: string[];
  /**
   * Untraced and traced (b) runs, alternating, for tracing's cost: one pair swung from -1 % to
   * 21 % between two runs on the same day. @default 3
   */
  tracingPairs: number;
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
      'scoreboard-rounds': { type: 'string', default: '1000' },
      profile: { type: 'string', default: '' },
      'tracing-pairs': { type: 'string', default: '3' },
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
    scoreboardRounds: int('scoreboard-rounds', values['scoreboard-rounds']),
    profile: values.profile.split(',').filter((a) => a !== ''),
    tracingPairs: atLeastOne('tracing-pairs', int('tracing-pairs', values['tracing-pairs'])),
  };
}

function atLeastOne(name: string, n: number): number {
  if (n < 1) throw new Error(`--${name} must be at least 1, got ${n}`);
  return n;
}

function onlyOf(raw: string): BenchArgs['only'] {
  const known = ['all', 'scoring', 'lc', 'scheduler', 'scoreboard', 'console', 'start'] as const;
  const only = known.find((k) => k === raw);
  if (only !== undefined) return only;
  throw new Error(`--only must be ${known.join(', ')}, got ${raw}`);
}
