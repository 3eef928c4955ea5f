import { randomBytes } from 'node:crypto';
import { down, fromNetworkError, up, type Check } from './check.js';
import { MalformedReplyError } from './server-reply.js';
import { udpExchange } from './udp-client.js';
import { DEFAULT_PORTS } from './default-ports.js';

// SNTP (RFC 4330) over the NTPv4 packet (RFC 5905 §7.3): a client request (mode 3) and the
// server's reply (mode 4).

const PACKET_BYTES = 48;
const MODE_CLIENT = 3;
const MODE_SERVER = 4;
const LEAP_UNSYNCHRONISED = 3;

export interface NtpReply {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  /** The reference id as four ASCII letters (a kiss code when the stratum is 0), else hex. */
  referenceId: string;
}

/** A mode-3 request whose transmit timestamp is random: the reply must echo it as its origin. */
export function ntpRequest(): { request: Buffer; nonce: Buffer } {
  const request = Buffer.alloc(PACKET_BYTES);
  request[0] = (0 << 6) | (4 << 3) | MODE_CLIENT;
  const nonce = randomBytes(8);
  nonce.copy(request, 40);
  return { request, nonce };
}

export function parseNtpReply(datagram: Buffer, nonce: Buffer): NtpReply {
  if (datagram.length < PACKET_BYTES) {
    throw new MalformedReplyError(`a reply of ${datagram.length} bytes (an NTP packet has 48)`);
  }
  const id = datagram.subarray(12, 16);
  const reply: NtpReply = {
    leap: datagram[0]! >> 6,
    version: (datagram[0]! >> 3) & 7,
    mode: datagram[0]! & 7,
    stratum: datagram[1]!,
    referenceId: /^[A-Z]{1,4}\0*$/.test(id.toString('latin1'))
      ? id.toString('latin1').replace(/\0+$/, '')
      : id.toString('hex'),
  };
  if (reply.mode !== MODE_SERVER)
    throw new MalformedReplyError(`a reply in mode ${reply.mode}, not 4 (server)`);
  if (reply.version < 1 || reply.version > 4)
    throw new MalformedReplyError(`NTP version ${reply.version}`);
  if (!datagram.subarray(24, 32).equals(nonce)) {
    throw new MalformedReplyError('a reply whose origin timestamp is not our request');
  }
  return reply;
}

/**
 * NTP: one SNTP request; up on a server reply (mode 4) of stratum 1–15 whose clock is
 * synchronised. A kiss-o'-death (stratum 0 with a kiss code: RATE, DENY, RSTR…), an
 * unsynchronised server (leap indicator 3, or stratum 0 or 16: what chrony and ntpsec answer
 * before they have a source) and a malformed reply are "content".
 */
export const ntpCheck: Check = async (t, { timeoutMs }) => {
  const what = `ntp ${t.host}`;
  const { request, nonce } = ntpRequest();
  try {
    const r = await udpExchange(t.host, t.port || DEFAULT_PORTS.ntp, timeoutMs, request, (d) =>
      parseNtpReply(d, nonce),
    );
    if (r.stratum === 0 && /^[A-Z]/.test(r.referenceId)) {
      return down('content', `${what}: kiss-o'-death ${r.referenceId}`);
    }
    if (r.leap === LEAP_UNSYNCHRONISED || r.stratum === 0 || r.stratum >= 16) {
      return down(
        'content',
        `${what}: not synchronised (stratum ${r.stratum}, leap indicator ${r.leap})`,
      );
    }
    return up(`${what}: stratum ${r.stratum}`);
  } catch (err) {
    return fromNetworkError(err, what);
  }
};
