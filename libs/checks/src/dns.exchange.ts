import { ByteClient } from './byte-client.js';
import { answerTo, type DnsAnswer, type DnsQuery } from './dns.message.js';
import { MalformedReplyError } from './server-reply.js';
import { udpExchange } from './udp-client.js';

/**
 * Asks `query` of the server over UDP (sent again every second, every datagram counted toward
 * MAX_CONVERSATION_BYTES, those that answer no query of ours skipped), and, when the answer comes
 * truncated, over TCP (RFC 7766): one message, its length announced in two bytes, so at most
 * 65,535 bytes are read (the connection is metered, and closed once it is read). Rejects with
 * code CHECK_TIMEOUT at the time limit.
 */
export async function askDns(
  host: string,
  port: number,
  query: DnsQuery,
  timeoutMs: number,
): Promise<DnsAnswer> {
  const deadline = Date.now() + timeoutMs;
  const answer = await udpExchange(host, port, timeoutMs, query.bytes, (d) => answerTo(query, d));
  if (!answer.truncated) return answer;
  const c = await ByteClient.open(host, port, Math.max(1, deadline - Date.now()));
  try {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(query.bytes.length);
    c.write(Buffer.concat([length, query.bytes]));
    const message = await c.readExactly((await c.readExactly(2)).readUInt16BE(0));
    // One query per connection: the first message must answer it.
    const overTcp = answerTo(query, message);
    if (overTcp === undefined)
      throw new MalformedReplyError('malformed answer: over TCP, an answer to another query');
    // Its records were not read (a truncated answer may end mid-record, RFC 2181 §9).
    if (overTcp.truncated)
      throw new MalformedReplyError('malformed answer: truncated over TCP too');
    return overTcp;
  } finally {
    c.close();
  }
}
