import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { isAnswer, renderResponse } from './render.js';

/**
 * Signs `body` as LimaCharlie does (its canonical rendering, HMAC with the origin secret), POSTs
 * it as lcservice's simulator does, and prints the answer for a person (`json`: as it came,
 * indented). The exit code: 0 a success (HTTP 200, "success": true), 1 any other answer or none.
 */
export async function sendAndPrint(
  url: string,
  secret: string,
  body: unknown,
  json: boolean,
): Promise<number> {
  const bytes = canonicalBody(body);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'lc-services',
        [SIGNATURE_HEADER]: sign(secret, bytes),
      },
      body: bytes,
    });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    console.error(
      `could not reach ${url}: ${cause instanceof Error ? cause.message : String(err)}`,
    );
    return 1;
  }
  const text = await res.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  if (!isAnswer(answer)) {
    // Not a gateway answer (a proxy's error page, another server): show it as it came.
    console.log(`HTTP ${res.status} (not a LimaCharlie answer):\n${text}`);
    return 1;
  }
  console.log(json ? JSON.stringify(answer, null, 2) : renderResponse(res.status, answer));
  return res.status === 200 && 'success' in answer && answer.success ? 0 : 1;
}
