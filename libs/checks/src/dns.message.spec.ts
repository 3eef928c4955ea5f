import { describe, expect, it } from 'vitest';
import { answerTo, encodeQuery, type DnsQuery } from './dns.message.js';

/** An answer to `q` with one record of its type holding `rdata` (owner: a pointer to the question). */
function answer(q: DnsQuery, rdata: Buffer, o: { id?: number; qr?: boolean } = {}): Buffer {
  const header = Buffer.from(q.bytes.subarray(0, 12));
  header.writeUInt16BE(o.id ?? q.id, 0);
  header[2] = o.qr === false ? 0x01 : 0x81;
  header.writeUInt16BE(1, 6);
  const record = Buffer.alloc(12);
  record.writeUInt16BE(0xc00c, 0);
  record.writeUInt16BE(q.type, 2);
  record.writeUInt16BE(1, 4);
  record.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, q.bytes.subarray(12), record, rdata]);
}
const aaaa = (...groups: number[]) => {
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
};

describe('encodeQuery', () => {
  it('encodes a name with or without its trailing dot, and the root', () => {
    const q = encodeQuery('www.team7.test.', 'A')!;
    expect(q.bytes.subarray(12).toString('hex')).toBe('03777777057465616d3704746573740000010001');
    expect(q.name).toBe('www.team7.test');
    expect(encodeQuery('.', 'NS')!.bytes.subarray(12).toString('hex')).toBe('0000020001');
  });

  it('refuses what is no domain name', () => {
    for (const name of ['', 'a..b', '.a', `${'x'.repeat(64)}.test`, `${'abcdefg.'.repeat(32)}x`])
      expect(encodeQuery(name, 'A')).toBeUndefined();
  });
});

describe('answerTo', () => {
  it('ignores what answers no query of ours: another id, a query, a runt', () => {
    const q = encodeQuery('x.test', 'A')!;
    const rdata = Buffer.from([10, 0, 0, 1]);
    expect(answerTo(q, answer(q, rdata))!.lines).toEqual(['10.0.0.1']);
    expect(answerTo(q, answer(q, rdata, { id: q.id ^ 1 }))).toBeUndefined();
    expect(answerTo(q, answer(q, rdata, { qr: false }))).toBeUndefined();
    expect(answerTo(q, answer(q, rdata).subarray(0, 11))).toBeUndefined();
  });

  it('writes IPv6 addresses in RFC 5952 form', () => {
    const q = encodeQuery('x.test', 'AAAA')!;
    const line = (...g: number[]) => answerTo(q, answer(q, aaaa(...g)))!.lines[0];
    expect(line(0, 0, 0, 0, 0, 0, 0, 1)).toBe('::1');
    expect(line()).toBe('::');
    expect(line(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1)).toBe('2001:db8:0:1::1');
    expect(line(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)).toBe('2001:db8::1:0:0:1');
    expect(line(0x2001, 0xdb8, 1, 2, 3, 4, 0, 5)).toBe('2001:db8:1:2:3:4:0:5');
    expect(line(0xfd00, 7, 0, 0, 0, 0, 0, 0)).toBe('fd00:7::');
  });

  it('escapes bytes of a name that are no printable ASCII, and dots inside a label', () => {
    const q = encodeQuery('x.test', 'CNAME')!;
    const target = Buffer.from([3, 0x61, 0x2e, 0x20, 2, 0xc3, 0xa9, 0]);
    expect(answerTo(q, answer(q, target))!.lines).toEqual(['a\\.\\032.\\195\\169']);
  });

  it('refuses names that loop or run past their record', () => {
    const q = encodeQuery('x.test', 'NS')!;
    // A pointer to itself: the record's data, after the header and question and 12 bytes of record.
    const selfPointer = Buffer.from([0xc0, q.bytes.length + 12]);
    expect(() => answerTo(q, answer(q, selfPointer))).toThrow(
      'malformed answer: a compression pointer that does not point back',
    );
    expect(() => answerTo(q, answer(q, Buffer.from([1, 0x61, 0, 0])))).toThrow(
      'malformed answer: a record longer than its data',
    );
    expect(() => answerTo(q, answer(q, Buffer.from([5, 0x61])))).toThrow(
      'malformed answer: a name past the end',
    );
  });

  it('follows at most 127 compression pointers in a name, each pointing back', () => {
    const q = encodeQuery('x.test', 'NS')!;
    /**
     * A record of another type (skipped) holding `pointers` pointers, the first to the question's
     * name and each next to the one before, then an NS record whose target is the chain's last.
     */
    const chained = (pointers: number) => {
      const header = Buffer.from(q.bytes.subarray(0, 12));
      header[2] = 0x81;
      header.writeUInt16BE(2, 6);
      const chainAt = q.bytes.length + 12;
      const chain = Buffer.alloc(pointers * 2);
      for (let i = 0; i < pointers; i++)
        chain.writeUInt16BE(0xc000 | (i === 0 ? 12 : chainAt + (i - 1) * 2), i * 2);
      const record = (type: number, rdata: Buffer) => {
        const r = Buffer.alloc(12);
        r.writeUInt16BE(0xc00c, 0);
        r.writeUInt16BE(type, 2);
        r.writeUInt16BE(1, 4);
        r.writeUInt16BE(rdata.length, 10);
        return Buffer.concat([r, rdata]);
      };
      const last = Buffer.alloc(2);
      last.writeUInt16BE(0xc000 | (chainAt + chain.length - 2));
      return Buffer.concat([header, q.bytes.subarray(12), record(16, chain), record(2, last)]);
    };
    // The NS target's own pointer and the chain's: 127 in all.
    expect(answerTo(q, chained(126))!.lines).toEqual(['x.test']);
    expect(() => answerTo(q, chained(127))).toThrow(
      'malformed answer: a name of more than 127 compression pointers',
    );
  });
});
