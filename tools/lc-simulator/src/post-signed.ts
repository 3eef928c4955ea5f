/** Prints an answer for a person: its HTTP status, its body parsed (undefined if not JSON) and as it came; the exit code. */
export type AnswerPrinter = (status: number, answer: unknown, text: string) => number;

/** A signed request, ready to go: the signature is in `headers`. */
export interface SignedPost {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * POSTs a signed body as LimaCharlie does and hands the answer to `print`; the exit code (1, and
 * a line on stderr, when the gateway cannot be reached).
 */
export async function postSigned(post: SignedPost, print: AnswerPrinter): Promise<number> {
  let res: Response;
  try {
    res = await fetch(post.url, { method: 'POST', headers: post.headers, body: post.body });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    console.error(
      `could not reach ${post.url}: ${cause instanceof Error ? cause.message : String(err)}`,
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
  return print(res.status, answer, text);
}
