import type { LogFields } from '@checkwire/log';
import type { Verdict } from './round.repository.js';

/** Kinds of error, in the order the summary names them (connection is "down", not an error). */
const ERROR_KINDS = ['timeout', 'content', 'credentials', 'other', 'no_runner'] as const;
type ErrorKind = (typeof ERROR_KINDS)[number];

/** A settled round, counted. */
export interface RoundSummary {
  roundAt: Date;
  checks: number;
  /** Passed their check. */
  up: number;
  /** Nothing answered: refused, unreachable, reset (kind connection). */
  down: number;
  /** Answered wrong or too late, or could not be checked (given up: other; no runner). */
  errors: Record<ErrorKind, number>;
  /** Not checked: the service was taken down after its check was queued. */
  skipped: number;
  /** Completed by a runner that did not say how it went. */
  unreported: number;
  /** From the round's start to its last check's end. */
  durationMs: number;
}

/** Counts a round's verdicts (rows as the repository tallies them). */
export function summarize(
  roundAt: Date,
  rows: readonly { verdict: Verdict | null; n: number; last: Date | null }[],
): RoundSummary {
  const count = new Map(rows.map((r) => [r.verdict, r.n]));
  const of = (v: Verdict | null) => count.get(v) ?? 0;
  const last = Math.max(roundAt.getTime(), ...rows.map((r) => r.last?.getTime() ?? 0));
  return {
    roundAt,
    checks: rows.reduce((sum, r) => sum + r.n, 0),
    up: of('up'),
    down: of('connection'),
    errors: {
      timeout: of('timeout'),
      content: of('content'),
      credentials: of('credentials'),
      other: of('other'),
      no_runner: of('no_runner'),
    },
    skipped: of('skipped'),
    unreported: of(null),
    durationMs: last - roundAt.getTime(),
  };
}

/** A round's name in logs: its start, to the second when it has no milliseconds. */
export function roundName(roundAt: Date): string {
  return roundAt.toISOString().replace(/\.000Z$/, 'Z');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The round's log line: `round 2026-12-01T16:40:00Z: 80 checks, 72 up, 6 down, 2 errors
 * (1 timeout, 1 content) in 4.2 s`, and the same as fields for LOG_FORMAT=json.
 */
export function describeRound(s: RoundSummary): { message: string; fields: LogFields } {
  const errors = ERROR_KINDS.reduce((sum, k) => sum + s.errors[k], 0);
  const kinds = ERROR_KINDS.filter((k) => s.errors[k] > 0).map(
    (k) => `${s.errors[k]} ${k.replace('_', ' ')}`,
  );
  const parts = [
    plural(s.checks, 'check'),
    `${s.up} up`,
    `${s.down} down`,
    plural(errors, 'error') + (kinds.length > 0 ? ` (${kinds.join(', ')})` : ''),
    ...(s.skipped > 0 ? [`${s.skipped} skipped`] : []),
    ...(s.unreported > 0 ? [`${s.unreported} not reported`] : []),
  ];
  const round = roundName(s.roundAt);
  return {
    message: `round ${round}: ${parts.join(', ')} in ${(s.durationMs / 1000).toFixed(1)} s`,
    fields: {
      round,
      checks: s.checks,
      up: s.up,
      down: s.down,
      errors,
      ...s.errors,
      skipped: s.skipped,
      unreported: s.unreported,
      durationMs: s.durationMs,
    },
  };
}
