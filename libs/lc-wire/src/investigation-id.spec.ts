import { describe, expect, it } from 'vitest';
import {
  callbackKey,
  investigationId,
  parseInvestigationId,
  pythonBytesRepr,
} from './investigation-id.js';

describe('investigation ids', () => {
  // Vectors from Python 3: hashlib.md5(('%s/%s' % (secret.encode(), name)).encode()).hexdigest()[:8]
  it.each([
    ['abc', 'onProcesses', "b'abc'/onProcesses", '5031afa4'],
    ["s3cr'et", 'cb', `b"s3cr'et"/cb`, 'c69ea9d5'],
    ['sécret', 'x', "b's\\xc3\\xa9cret'/x", '60329379'],
  ])('keys %j/%j as lcservice does', (secret, name, hashed, key) => {
    expect(`${pythonBytesRepr(Buffer.from(secret, 'utf8'))}/${name}`).toBe(hashed);
    expect(callbackKey(secret, name)).toBe(key);
  });

  it("renders bytes as Python's str(bytes)", () => {
    expect(pythonBytesRepr(Buffer.from('a\\b\t\n\r\x00\x7f', 'latin1'))).toBe(
      "b'a\\\\b\\t\\n\\r\\x00\\x7f'",
    );
    expect(pythonBytesRepr(Buffer.from(`'"`, 'utf8'))).toBe(`b'\\'"'`);
  });

  it('builds and splits ids as split("/", 3)', () => {
    const id = investigationId('triage', 'deadbeef', 'job-1', 'a/b');
    expect(id).toBe('svc-triage-ex/deadbeef/job-1/a/b');
    expect(parseInvestigationId(id)).toEqual({ key: 'deadbeef', jobId: 'job-1', context: 'a/b' });
    expect(parseInvestigationId('svc-triage-ex/k//')).toEqual({ key: 'k', jobId: '', context: '' });
    expect(parseInvestigationId('svc-triage-ex/k/j')).toBeUndefined();
    expect(parseInvestigationId('svc-triage-ex')).toBeUndefined();
  });
});
