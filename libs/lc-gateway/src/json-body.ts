/**
 * The body as JSON, or undefined when it is not JSON. Content-Type is not looked at (lcservice
 * 1.8.6 does not look either: `text/plain` or none is parsed the same).
 */
export function parseJson(raw: Buffer): unknown {
  try {
    // Always UTF-8, whatever charset a Content-Type names: the header is not signed, the bytes are.
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
