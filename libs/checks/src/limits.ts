/**
 * How much a checked server may send. A team's server is untrusted input: past these limits the
 * check fails as "content" at once and its socket is destroyed, so a hostile server costs the
 * runner a bounded amount of memory and CPU and cannot slow the other checks.
 */

/**
 * One line of a text protocol (SMTP, FTP, POP3, IMAP), without its CRLF. RFC 5321 caps SMTP
 * lines at 1000 bytes and RFC 1939 POP3 at 512; IMAP has no fixed limit but a CAPABILITY line of
 * a real server is a few hundred bytes. 8 KiB is 8× the largest fixed one.
 */
export const MAX_LINE_BYTES = 8 * 1024;

/**
 * Lines in one reply. A multi-line EHLO reply is about 10 lines, an FTP or IMAP greeting a few;
 * 1,000 leaves room for verbose servers and stops an endless stream of continuation lines.
 */
export const MAX_REPLY_LINES = 1000;

/**
 * All a server may send in one conversation (every reply of a text protocol; the whole SSH
 * handshake; a SQL login and `SELECT 1`). A healthy one sends a few KiB: 1 MiB is far above that
 * and still cheap to read.
 */
export const MAX_CONVERSATION_BYTES = 1024 * 1024;

/** The HTTP body read while looking for the expected text; the rest is never read. */
export const MAX_HTTP_BODY_BYTES = 1024 * 1024;

/** HTTP response headers (Node's own default, stated so the limit has one source). */
export const MAX_HTTP_HEADER_BYTES = 16 * 1024;

/** A checked server sent more than a limit allows; the check reports it as "content". */
export class LimitExceededError extends Error {
  override readonly name = 'LimitExceededError';
}
