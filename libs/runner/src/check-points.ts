import type { CheckResult } from '@checkwire/checks';

/**
 * What a built-in check's result scores: an up service all of its score_cap (1 without one, as
 * scoring reads any result above 0 then), a partial one (some of its content rules held) that
 * share of the cap, at least 1, and a down one 0. A partial result needs a cap to be a share of:
 * without one, it fails as content and says so.
 */
export function checkPoints(
  result: CheckResult,
  scoreCap: number | undefined,
): { result: CheckResult; points: number } {
  if (!result.up) return { result, points: 0 };
  const cap = scoreCap !== undefined && scoreCap > 0 ? scoreCap : undefined;
  if (result.share === undefined) return { result, points: cap ?? 1 };
  if (cap === undefined) {
    return {
      result: {
        up: false,
        kind: 'content',
        message: `${result.message} (a partial result needs the service's score_cap)`,
      },
      points: 0,
    };
  }
  const { held, of } = result.share;
  return { result, points: Math.max(1, Math.floor((cap * held) / of)) };
}
