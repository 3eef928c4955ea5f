import {
  hasContentRules,
  judgeContent,
  type ServiceCheckSettings,
} from '@checkwire/check-settings';
import { down, type CheckResult } from './check.js';

/**
 * A check's result judged by the service's content rules (expect/reject): a check that read
 * content hands it over in its result, and only the verdict goes on (the content itself, which
 * may hold secrets, never leaves the runner).
 */
export async function applyContentRules(
  result: CheckResult,
  settings: ServiceCheckSettings,
  check: string,
): Promise<CheckResult> {
  if (!result.up) return result;
  if (!hasContentRules(settings)) return { up: true, message: result.message };
  if (result.content === undefined) {
    return down(
      'other',
      `the ${check} check reads no content that the check settings' expect/reject rules could judge`,
    );
  }
  let judged;
  try {
    judged = await judgeContent(result.content, settings);
  } catch (err) {
    // Validated settings compile; settings written around the API might not.
    return down('other', `the content rules cannot run: ${(err as Error).message}`);
  }
  switch (judged.verdict) {
    case 'pass':
      return { up: true, message: result.message };
    case 'partial':
      return {
        up: true,
        message: `${result.message}; ${judged.held} of ${judged.of} expected rules hold (the first missed: ${judged.missed})`,
        share: { held: judged.held, of: judged.of },
      };
    case 'fail':
      return down('content', `${result.message}, but ${judged.reason}`);
    case 'unjudged':
      return down('other', `${result.message}, but ${judged.reason}`);
  }
}
