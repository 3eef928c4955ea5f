import { setImmediate as turn } from 'node:timers/promises';
import type { ContentRule, ServiceCheckSettings } from './check-settings.js';
import { describeRule, ruleHolds } from './content-rule.js';

/** What the content rules make of a check's content. */
export type Judgement =
  | { verdict: 'pass' }
  /** Some but not all expect rules held, and the settings allow a partial result. */
  | { verdict: 'partial'; held: number; of: number; missed: string }
  | { verdict: 'fail'; reason: string };

/**
 * Judges content by the settings' rules: any reject rule that holds fails it; then every expect
 * rule must hold, or (with `partial`) at least one, for a share. Rules are validated, so their
 * patterns compile; each runs in time linear in the content (RE2), at worst a few hundred
 * milliseconds on a MiB here, and the event loop turns between rules so the other checks on the
 * runner are never held up by more than one rule.
 */
export async function judgeContent(
  content: string | Buffer,
  s: ServiceCheckSettings,
): Promise<Judgement> {
  const holds = async (r: ContentRule) => {
    await turn();
    return ruleHolds(r, content);
  };
  for (const r of s.reject) {
    if (await holds(r))
      return { verdict: 'fail', reason: `its content ${describeRule(r)}, a rejected rule` };
  }
  const missed: ContentRule[] = [];
  for (const r of s.expect) if (!(await holds(r))) missed.push(r);
  if (missed.length === 0) return { verdict: 'pass' };
  const of = s.expect.length;
  const held = of - missed.length;
  const first = describeRule(missed[0]!);
  if (s.partial && held > 0) return { verdict: 'partial', held, of, missed: first };
  return {
    verdict: 'fail',
    reason:
      of === 1
        ? `its content does not meet the expected rule: ${first}`
        : `its content meets ${held} of ${of} expected rules (the first missed: ${first})`,
  };
}
