import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { postSigned, type AnswerPrinter } from './post-signed.js';
import { isAnswer, renderResponse } from './render.js';

/**
 * Prints an lcservice answer for a person (`json`: as it came, indented); the exit code: 0 a
 * success (HTTP 200, "success": true), 1 any other answer or none.
 */
export function printCallbackAnswer(json: boolean): AnswerPrinter {
  return (status, answer, text) => {
    if (!isAnswer(answer)) {
      // Not a gateway answer (a proxy's error page, another server): show it as it came.
      console.log(`HTTP ${status} (not a LimaCharlie answer):\n${text}`);
      return 1;
    }
    console.log(json ? JSON.stringify(answer, null, 2) : renderResponse(status, answer));
    return status === 200 && 'success' in answer && answer.success ? 0 : 1;
  };
}

/**
 * Signs `body` as LimaCharlie does (its canonical rendering, HMAC with the origin secret), POSTs
 * it as lcservice's simulator does, and prints the answer (printCallbackAnswer); the exit code.
 */
export function sendAndPrint(
  url: string,
  secret: string,
  body: unknown,
  json: boolean,
): Promise<number> {
  const bytes = canonicalBody(body);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'lc-services',
    [SIGNATURE_HEADER]: sign(secret, bytes),
  };
  return postSigned({ url, headers, body: Buffer.from(bytes, 'utf8') }, printCallbackAnswer(json));
}
