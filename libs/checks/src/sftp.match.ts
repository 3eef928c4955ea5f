import { createHash } from 'node:crypto';
import { down, up, type CheckResult } from './check.js';

const SHA256 = /^sha256:([0-9a-f]{64})$/i;

/**
 * Compares what a file-share check read with the service's `expect`: `sha256:<hex>` (any case)
 * is a file's SHA-256, other text must appear in the file or the listing (one name a line), and
 * an empty one accepts anything read. `subject` names what was read (`notes.txt (12 bytes)`).
 */
export function matchContent(
  what: string,
  subject: string,
  content: Buffer,
  expected: string,
  read: 'file' | 'listing',
): CheckResult {
  const hash = SHA256.exec(expected)?.[1]?.toLowerCase();
  if (hash !== undefined) {
    if (read === 'listing') {
      return down('content', `${what}: ${subject} is a directory, and a sha256 needs a file`);
    }
    const actual = createHash('sha256').update(content).digest('hex');
    if (actual !== hash) {
      return down(
        'content',
        `${what}: ${subject} does not have the expected sha256`,
        `expected: sha256:${hash}; got sha256:${actual}`,
      );
    }
    return up(`${what}: read ${subject} with the expected sha256`, content);
  }
  const verb = read === 'file' ? 'read' : 'listed';
  if (expected !== '' && !content.includes(expected)) {
    return down(
      'content',
      `${what}: ${subject} does not contain the expected text`,
      `expected: ${expected}`,
    );
  }
  return up(
    `${what}: ${verb} ${subject}${expected === '' ? '' : ' with the expected text'}`,
    content,
  );
}
