/**
 * LimaCharlie's words from an error answer, made safe to put in an error message: the `error`
 * field of a JSON object (the shape its API answers errors in), else the text itself; on one line,
 * with anything that looks like a token removed, at most `maxChars` characters.
 */
export function lcErrorText(
  body: Uint8Array,
  truncated: boolean,
  jwt: string,
  maxChars: number,
): string | undefined {
  const raw = new TextDecoder('utf-8', { fatal: false }).decode(body);
  let text = raw;
  if (!truncated) {
    const parsed = tryJson(raw);
    if (isRecord(parsed) && typeof parsed.error === 'string') text = parsed.error;
  }
  const clean = oneLine(redactSecrets(text, jwt));
  if (clean === '') return undefined;
  const chars = Array.from(clean);
  return chars.length > maxChars || truncated ? `${chars.slice(0, maxChars).join('')}…` : clean;
}

/** Removes the JWT itself, anything shaped like a JWT, and bearer credentials. */
export function redactSecrets(text: string, jwt: string): string {
  // A token so short it is surely not LimaCharlie's would otherwise blank ordinary words.
  let out = jwt.length >= 8 ? text.split(jwt).join('[jwt]') : text;
  // A JWT's header is base64url JSON, so it starts with "eyJ"; this also catches a prefix of one
  // cut off where the answer was truncated.
  out = out.replace(/eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g, '[jwt]');
  return out.replace(/\b(bearer)\s+(?!\[jwt\])\S+/gi, '$1 [redacted]');
}

function oneLine(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what it removes
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
