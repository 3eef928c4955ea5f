import { octets, tlv } from './ber.js';

// RFC 4515 string filters as RFC 4511 BER (Filter): and, or, not, equality, substrings, >=, <=,
// presence and approximate match. Extensible matches (`:=`) are not supported.

/** A filter the check cannot encode: the service is misconfigured ("other"). */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

/** Deepest nesting of (&…), (|…), (!…) accepted: the parser is recursive. */
const MAX_DEPTH = 32;

const unescape = (value: string): Buffer => {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new FilterError('a bad \\ escape');
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(value[i]!, 'utf8'));
  }
  return Buffer.from(bytes);
};

function item(text: string): Buffer {
  const m = /^([A-Za-z0-9][A-Za-z0-9.;-]*)(=|>=|<=|~=)(.*)$/s.exec(text);
  if (m === null) throw new FilterError(`not a filter item: (${text})`);
  const [, attr = '', op = '', value = ''] = m;
  if (/[()]/.test(value)) throw new FilterError('an unescaped parenthesis');
  if (op === '=' && value === '*') return tlv(0x87, Buffer.from(attr));
  if (op === '=' && value.includes('*')) {
    const parts = value.split('*');
    const subs = parts.flatMap((part, i) => {
      if (part === '') return [];
      const tag = i === 0 ? 0x80 : i === parts.length - 1 ? 0x82 : 0x81;
      return [tlv(tag, unescape(part))];
    });
    return tlv(0xa4, octets(attr), tlv(0x30, ...subs));
  }
  const tag = { '=': 0xa3, '>=': 0xa5, '<=': 0xa6, '~=': 0xa8 }[op]!;
  return tlv(tag, octets(attr), octets(unescape(value)));
}

/** Parses one parenthesised filter from `at`; returns its BER and where it ends. */
function parse(s: string, at: number, depth: number): [Buffer, number] {
  if (depth > MAX_DEPTH) throw new FilterError(`nested deeper than ${MAX_DEPTH}`);
  if (s[at] !== '(') throw new FilterError(`expected ( at ${at}`);
  const op = s[at + 1];
  if (op === '&' || op === '|' || op === '!') {
    const parts: Buffer[] = [];
    let i = at + 2;
    while (s[i] === '(') {
      const [part, next] = parse(s, i, depth + 1);
      parts.push(part);
      i = next;
    }
    if (s[i] !== ')') throw new FilterError(`expected ) at ${i}`);
    if (op === '!' && parts.length !== 1) throw new FilterError('(! must hold one filter');
    return [tlv({ '&': 0xa0, '|': 0xa1, '!': 0xa2 }[op], ...parts), i + 1];
  }
  const end = s.indexOf(')', at);
  if (end < 0) throw new FilterError('a filter without its )');
  return [item(s.slice(at + 1, end)), end + 1];
}

/** An RFC 4515 filter (`(uid=erin)`, `(&(objectClass=person)(cn=E*))`) as BER. */
export function encodeFilter(text: string): Buffer {
  const s = text.trim();
  const [filter, end] = parse(s.startsWith('(') ? s : `(${s})`, 0, 0);
  if (end !== (s.startsWith('(') ? s.length : s.length + 2)) {
    throw new FilterError('text after the filter');
  }
  return filter;
}
