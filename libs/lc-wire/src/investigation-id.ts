import { createHash } from 'node:crypto';

/**
 * lcservice's InteractiveService investigation ids: `svc-<service>-ex/<callback key>/<job id>/<context>`
 * (lc-protocol.md, "Interactive services"). The key names a reply callback without naming it:
 * only a holder of the service's secret can make one.
 */

/** `svc-<service>-ex`: the ids' prefix, the D&R rule's name, and (with `__`) its detection's. */
export const rootInvestigationId = (serviceName: string): string => `svc-${serviceName}-ex`;

/**
 * Python 3's `str(bytes)`: what lcservice's `"%s/%s" % (secret, name)` makes of its secret, which
 * it holds as UTF-8 bytes (`b'abc'`; `\xNN` for bytes outside printable ASCII; `"` quotes when the
 * bytes hold `'` and no `"`).
 */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const single = bytes.includes(0x27);
  const quote = single && !bytes.includes(0x22) ? '"' : "'";
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `b${quote}${out}${quote}`;
}

/**
 * lcservice's `_getCallbackKey`: the first 8 hex digits of the MD5 of `"%s/%s" % (secret, name)`,
 * the secret being bytes there, so the text hashed is `b'<secret>'/<name>` (lc-protocol.md).
 */
export function callbackKey(secret: string, callbackName: string): string {
  const text = `${pythonBytesRepr(Buffer.from(secret, 'utf8'))}/${callbackName}`;
  return createHash('md5').update(text, 'utf8').digest('hex').slice(0, 8);
}

/** The id a task carries, as lcservice's `_taskWithCallback` builds it. */
export function investigationId(
  serviceName: string,
  key: string,
  jobId: string,
  context: string,
): string {
  return `${rootInvestigationId(serviceName)}/${key}/${jobId}/${context}`;
}

export interface ParsedInvestigationId {
  key: string;
  jobId: string;
  context: string;
}

/**
 * lcservice's `invId.split('/', 3)` into four parts: undefined when there are fewer (where
 * lcservice raised ValueError). The context keeps any further `/`.
 */
export function parseInvestigationId(id: string): ParsedInvestigationId | undefined {
  const first = id.indexOf('/');
  const second = first < 0 ? -1 : id.indexOf('/', first + 1);
  const third = second < 0 ? -1 : id.indexOf('/', second + 1);
  if (third < 0) return undefined;
  return {
    key: id.slice(first + 1, second),
    jobId: id.slice(second + 1, third),
    context: id.slice(third + 1),
  };
}
