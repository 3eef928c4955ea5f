import type { DnsRecordType } from '@checkwire/check-settings';
import { down, fromNetworkError, up, type Check } from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';
import { askDns } from './dns.exchange.js';
import { encodeQuery, RCODE_NOERROR, RCODE_NXDOMAIN, rcodeName } from './dns.message.js';
import { serverText } from './server-reply.js';

/** Answers named in a result's message; the content holds them all. */
const MAX_SHOWN_ANSWERS = 10;

const shown = (lines: string[]): string =>
  lines
    .slice(0, MAX_SHOWN_ANSWERS)
    .map((l) => serverText(l))
    .join(', ') + (lines.length > MAX_SHOWN_ANSWERS ? `, … (${lines.length} in all)` : '');

/** An IPv6 address in its one canonical text (the WHATWG URL serialiser's, which is RFC 5952's). */
function canonicalIpv6(text: string): string {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return text; // no address: compared as it is (and so equal to none)
  }
}

/**
 * A line as `expect` is compared with it: addresses of A and text of TXT exactly, AAAA as an
 * address, and the names of MX, CNAME, NS and SOA case-insensitively without a trailing dot.
 */
function comparable(type: DnsRecordType, line: string): string {
  if (type === 'A' || type === 'TXT') return line;
  if (type === 'AAAA') return canonicalIpv6(line);
  return line
    .trim()
    .split(/\s+/)
    .map((word) => (word.length > 1 ? word.replace(/\.$/, '') : word).toLowerCase())
    .join(' ');
}

/**
 * Asks the service (a DNS server) for the records of `info` (the name; default localhost) of the
 * settings' type (default A), each rendered as one line (README), which are the content; up when
 * there is one, and, when `expect` is set, when one line is it.
 */
export const dnsCheck: Check = async (t, { timeoutMs }) => {
  const name = t.info === '' ? 'localhost' : t.info;
  const type = t.settings.dns.recordType;
  // Type A keeps the messages it had before there were other types.
  const label = type === 'A' ? name : `${name} ${type}`;
  const query = encodeQuery(name, type);
  if (query === undefined) return down('other', `dns: ${JSON.stringify(name)} is no domain name`);
  let answer;
  try {
    answer = await askDns(t.host, t.port === 0 ? DEFAULT_PORTS.dns : t.port, query, timeoutMs);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'CHECK_TIMEOUT') return down('timeout', `dns ${t.host}: timed out`);
    if (code === 'ECONNREFUSED') return down('connection', `dns ${t.host}: refused`);
    return fromNetworkError(err, `dns ${t.host}`);
  }
  if (answer.rcode === RCODE_NXDOMAIN) return down('content', `${label}: no answer (ENOTFOUND)`);
  if (answer.rcode !== RCODE_NOERROR)
    return down('content', `${label}: the server answered ${rcodeName(answer.rcode)}`);
  const { lines } = answer;
  if (lines.length === 0) return down('content', `${label}: no answer (ENODATA)`);
  if (t.expect !== '') {
    const expected = comparable(type, t.expect);
    if (!lines.some((l) => comparable(type, l) === expected))
      return down('content', `${label} resolved to ${shown(lines)}, not ${t.expect}`);
  }
  return up(`${label} → ${shown(lines)}`, lines.join('\n'));
};
