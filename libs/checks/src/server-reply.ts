/**
 * A checked server answered something its protocol does not allow (a bad length, an unknown
 * message type, a packet too short to parse); the check reports it as "content".
 */
export class MalformedReplyError extends Error {
  override readonly name = 'MalformedReplyError';
}

/** At most this much of a server's own text goes into a result message. */
export const MAX_QUOTED_CHARS = 200;

/**
 * A server's text for a result message: clipped, control characters made visible, and any of the
 * check's secrets (a password, a community) masked, in case a hostile server echoes them back.
 */
export function serverText(text: string, secrets: readonly string[] = []): string {
  let s = text;
  for (const secret of secrets) if (secret !== '') s = s.split(secret).join('***');
  s = Array.from(s, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }).join('');
  return s.length > MAX_QUOTED_CHARS ? `${s.slice(0, MAX_QUOTED_CHARS)}…` : s;
}
