import { describeRule, rulesHold, type HttpSettings } from '@checkwire/check-settings';
import { HttpFailure } from './http.errors.js';
import type { HttpAnswer } from './http.request.js';
import { serverText } from './server-reply.js';

/** Headers whose values are never quoted: they carry sessions. */
const UNQUOTED = new Set(['set-cookie', 'cookie', 'authorization', 'www-authenticate']);

/**
 * Judges the final answer's status and headers by the settings: a status in `status` (when
 * empty, any 2xx or 3xx), and every header rule holding for its header's value (a header sent
 * more than once is judged on its values joined with ", ", as RFC 9110 combines them). Throws
 * HttpFailure (`content`) for the first that fails. `secrets` are masked in a quoted value.
 * Patterns run as the content rules' do (costly ones off the event loop, within a budget: over
 * it, `other`).
 */
export async function judgeHead(
  answer: HttpAnswer,
  http: HttpSettings,
  secrets: readonly string[],
): Promise<void> {
  const { status, shown } = answer;
  const accepted =
    http.status.length === 0 ? status >= 200 && status < 400 : http.status.includes(status);
  if (!accepted)
    throw new HttpFailure(
      'content',
      `${shown} answered HTTP ${status}`,
      http.status.length === 0 ? undefined : `accepted: ${http.status.join(', ')}`,
    );
  for (const { name, rule } of http.headers) {
    const values = answer.headers.get(name);
    if (values === undefined)
      throw new HttpFailure(
        'content',
        `${shown}: no ${name} header`,
        `expected: ${describeRule(rule)}`,
      );
    const value = values.join(', ');
    const holds = await rulesHold([rule], value);
    if (holds === 'over budget')
      throw new HttpFailure(
        'other',
        `${shown}: the rule on header ${name} took too long to run (${describeRule(rule)}): make it simpler`,
      );
    if (holds[0] !== true)
      throw new HttpFailure(
        'content',
        `${shown}: header ${name} fails the rule (${describeRule(rule)})`,
        UNQUOTED.has(name) ? undefined : `got: ${JSON.stringify(serverText(value, secrets))}`,
      );
  }
}
