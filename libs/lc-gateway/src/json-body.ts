import { StringDecoder } from 'node:string_decoder';

/**
 * The body (its pieces, as received or inflated) as JSON, or undefined when it is not JSON.
 * Content-Type is not looked at (lcservice 1.8.6 does not look either: `text/plain` or none is
 * parsed the same). The pieces are decoded one by one, never joined into a second buffer.
 */
export function parseJson(chunks: readonly Buffer[]): unknown {
  // Always UTF-8, whatever charset a Content-Type names: the header is not signed, the bytes are.
  const decoder = new StringDecoder('utf8');
  let text = '';
  for (const chunk of chunks) text += decoder.write(chunk);
  text += decoder.end();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
