import { setImmediate as turn } from 'node:timers/promises';
import type { ContentRule, ServiceCheckSettings } from './check-settings.js';
import { compilePattern, contentText, describeRule, ruleHolds } from './content-rule.js';
import { RegexPool } from './regex-pool.js';

/** What the content rules make of a check's content. */
export type Judgement =
  | { verdict: 'pass' }
  /** Some but not all expect rules held, and the settings allow a partial result. */
  | { verdict: 'partial'; held: number; of: number; missed: string }
  | { verdict: 'fail'; reason: string }
  /** The patterns could not be run on this content within the budget. */
  | { verdict: 'unjudged'; reason: string };

/** How long a check's patterns may run off the event loop before the check gives up on them. */
export const REGEX_BUDGET_MS = 2000;

/**
 * Text length × pattern size up to which a pattern runs on the event loop (about 80 ms at the
 * worst here; measured 40 ns per byte and instruction), and beyond which in a worker.
 */
const INLINE_COST = 2_000_000;

const pool = new RegexPool();

/**
 * Whether each regex rule holds: cheap ones here, the event loop turning between them; costly
 * ones together in a worker, within `budgetMs`.
 */
async function patternHolds(
  rules: ContentRule[],
  s: string,
  budgetMs: number,
): Promise<Map<string, boolean> | 'over budget'> {
  const patterns = [...new Set(rules.flatMap((r) => ('regex' in r ? [r.regex] : [])))];
  const holds = new Map<string, boolean>();
  const costly: string[] = [];
  for (const p of patterns) {
    if (s.length * compilePattern(p).programSize() > INLINE_COST) {
      costly.push(p);
      continue;
    }
    await turn();
    holds.set(p, compilePattern(p).matcher(s).find());
  }
  if (costly.length > 0) {
    const answer = await pool.match(costly, s, budgetMs);
    if (answer === 'over budget') return answer;
    costly.forEach((p, i) => holds.set(p, answer[i]!));
  }
  return holds;
}

/** A rule's verdict: a pattern's from `patterns`, a hash over the bytes, text rules on `decoded`. */
const holdsWith = (
  r: ContentRule,
  content: string | Buffer,
  decoded: string,
  patterns: Map<string, boolean>,
) => ('regex' in r ? patterns.get(r.regex)! : ruleHolds(r, 'sha256' in r ? content : decoded));

/**
 * Whether each rule holds for `content` (regex rules as patternHolds runs them), or 'over
 * budget': for rules on other content than a check's (an HTTP header's value).
 */
export async function rulesHold(
  rules: ContentRule[],
  content: string | Buffer,
  budgetMs = REGEX_BUDGET_MS,
): Promise<boolean[] | 'over budget'> {
  const s = contentText(content);
  const patterns = await patternHolds(rules, s, budgetMs);
  if (patterns === 'over budget') return patterns;
  return rules.map((r) => holdsWith(r, content, s, patterns));
}

/**
 * Judges content by the settings' rules: any reject rule that holds fails it; then every expect
 * rule must hold, or (with `partial`) at least one, for a share. Rules are validated, so their
 * patterns compile. contains/exact/sha256 are linear and run here; patterns as patternHolds says.
 */
export async function judgeContent(
  content: string | Buffer,
  s: ServiceCheckSettings,
  budgetMs = REGEX_BUDGET_MS,
): Promise<Judgement> {
  const decoded = contentText(content);
  const patterns = await patternHolds([...s.reject, ...s.expect], decoded, budgetMs);
  if (patterns === 'over budget') {
    return {
      verdict: 'unjudged',
      reason: `the check settings' patterns took more than ${budgetMs} ms on ${typeof content === 'string' ? Buffer.byteLength(content) : content.length} bytes of content: make them simpler (fewer counted repetitions)`,
    };
  }
  const holds = (r: ContentRule) => holdsWith(r, content, decoded, patterns);
  const rejected = s.reject.find(holds);
  if (rejected !== undefined)
    return { verdict: 'fail', reason: `its content ${describeRule(rejected)}, a rejected rule` };
  const missed = s.expect.filter((r) => !holds(r));
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
