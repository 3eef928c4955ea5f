import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';

/** DNS record types and response codes the test's DNS server knows (RFC 1035, RFC 3596). */
const TYPE_A = 1;
const CLASS_IN = 1;
const RCODE_NOERROR = 0;
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;

/** A question the test's DNS server was asked: the name as sent, the type (1 = A, 28 = AAAA). */
export interface DnsQuestion {
  name: string;
  type: number;
}

/**
 * The test's DNS server: answers over UDP on loopback the way a cluster's DNS answers for a
 * Kubernetes headless Service (one A record per ready pod), for the names a test gives it. A name
 * it holds gets its A records (TTL 0: nothing caches them); any other record type of that name
 * (AAAA, TXT) gets an empty answer (NOERROR, no records); a name it does not hold gets NXDOMAIN.
 * Every question is recorded, so a test can see when a client resolved again.
 *
 * grpc-js asks the DNS server of a `dns://<server>/<name>:<port>` target only when
 * `GRPC_NODE_USE_ALTERNATIVE_RESOLVER=true` was set before it was loaded (otherwise it asks the
 * system's resolver, and the authority is ignored); `target()` builds such a target.
 */
export class TestDnsServer {
  /** Every question asked, in order. */
  readonly questions: DnsQuestion[] = [];
  private readonly records = new Map<string, readonly string[]>();

  private constructor(
    private readonly socket: Socket,
    /** The UDP port it answers on, on 127.0.0.1. */
    readonly port: number,
  ) {}

  /** Starts it on 127.0.0.1, on a free UDP port. */
  static async start(): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const server = new TestDnsServer(socket, socket.address().port);
    socket.on('message', (query, from) => server.answer(query, from));
    return server;
  }

  /** From now on `name` resolves to `addresses` (IPv4); an empty list leaves it with none. */
  setAddresses(name: string, addresses: readonly string[]): void {
    for (const address of addresses) {
      if (!isIPv4(address)) throw new Error(`${address} is not an IPv4 address`);
    }
    this.records.set(name.toLowerCase(), [...addresses]);
  }

  /** How many A questions were asked for `name`. */
  aQuestions(name: string): number {
    const lower = name.toLowerCase();
    return this.questions.filter((q) => q.type === TYPE_A && q.name.toLowerCase() === lower).length;
  }

  /** A grpc-js target that resolves `name` through this server: `dns://127.0.0.1:P/name:port`. */
  target(name: string, port: number): string {
    return `dns://127.0.0.1:${this.port}/${name}:${port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer, from: RemoteInfo): void {
    const reply = this.reply(query);
    if (reply !== undefined) this.socket.send(reply, from.port, from.address);
  }

  /** The response to one query, or undefined for a datagram too short to answer at all. */
  private reply(query: Buffer): Buffer | undefined {
    if (query.length < 12) return undefined;
    const id = query.readUInt16BE(0);
    const flags = query.readUInt16BE(2);
    const opcode = (flags >> 11) & 0xf;
    const questionCount = query.readUInt16BE(4);
    const question = questionCount === 1 && opcode === 0 ? readQuestion(query, 12) : undefined;
    if (question === undefined) {
      return header(id, flags, opcode === 0 ? RCODE_FORMERR : RCODE_NOTIMP, 0, 0);
    }
    const { name, type, qclass, end } = question;
    this.questions.push({ name, type });
    const addresses = this.records.get(name.toLowerCase());
    const questionBytes = query.subarray(12, end);
    if (addresses === undefined) {
      return Buffer.concat([header(id, flags, RCODE_NXDOMAIN, 1, 0), questionBytes]);
    }
    const answers = type === TYPE_A && qclass === CLASS_IN ? addresses.map(aRecord) : [];
    return Buffer.concat([
      header(id, flags, RCODE_NOERROR, 1, answers.length),
      questionBytes,
      ...answers,
    ]);
  }
}

/** A response header: the query's id, QR and AA set, its RD echoed, one question or none. */
function header(id: number, queryFlags: number, rcode: number, questions: number, answers: number) {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  const rd = queryFlags & 0x0100;
  const opcode = queryFlags & 0x7800;
  h.writeUInt16BE(0x8000 | opcode | 0x0400 | rd | rcode, 2);
  h.writeUInt16BE(questions, 4);
  h.writeUInt16BE(answers, 6);
  return h;
}

/** The question at `offset`: its name (labels joined by dots), type, class and where it ends. */
function readQuestion(
  query: Buffer,
  offset: number,
): { name: string; type: number; qclass: number; end: number } | undefined {
  const labels: string[] = [];
  let at = offset;
  for (;;) {
    if (at >= query.length) return undefined;
    const length = query[at]!;
    at += 1;
    if (length === 0) break;
    // A question's name is never compressed (there is nothing before it to point at).
    if (length > 63 || at + length > query.length) return undefined;
    labels.push(query.toString('latin1', at, at + length));
    at += length;
  }
  if (at + 4 > query.length) return undefined;
  return {
    name: labels.join('.'),
    type: query.readUInt16BE(at),
    qclass: query.readUInt16BE(at + 2),
    end: at + 4,
  };
}

/** An A record for the question's name (a pointer to offset 12), TTL 0. */
function aRecord(address: string): Buffer {
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc00c, 0);
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(CLASS_IN, 4);
  record.writeUInt32BE(0, 6);
  record.writeUInt16BE(4, 10);
  address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
  return record;
}
