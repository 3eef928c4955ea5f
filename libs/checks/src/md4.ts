// MD4 (RFC 1320), which NTLM's password hash needs (NTOWF, MS-NLMP 3.3.1) and Node's OpenSSL 3
// offers only in its legacy provider. Used for that hash alone: MD4 is broken as a digest.

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

/** The rounds' constants and shifts (RFC 1320, 3.4). */
const ROUND_2 = 0x5a827999;
const ROUND_3 = 0x6ed9eba1;
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
] as const;
/** The order round 3 takes the words in. */
const ROUND_3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;

/** The MD4 digest (16 bytes) of `message`. */
export function md4(message: Buffer): Buffer {
  // Padding: a 1 bit, zeros to 56 mod 64 bytes, the bit length (64-bit little-endian).
  const padded = Buffer.alloc((((message.length + 8) >> 6) + 1) * 64);
  message.copy(padded);
  padded[message.length] = 0x80;
  const bits = BigInt(message.length) * 8n;
  padded.writeBigUInt64LE(bits & 0xffffffffffffffffn, padded.length - 8);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readInt32LE(block + 4 * i);
    const [aa, bb, cc, dd] = [a, b, c, d];
    for (let i = 0; i < 16; i++) {
      const f = (b & c) | (~b & d);
      const t = rotl((a + f + x[i]!) | 0, SHIFTS[0][i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const g = (b & c) | (b & d) | (c & d);
      const word = x[(i % 4) * 4 + (i >> 2)]!;
      const t = rotl((a + g + word + ROUND_2) | 0, SHIFTS[1][i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const h = b ^ c ^ d;
      const t = rotl((a + h + x[ROUND_3_ORDER[i]!]! + ROUND_3) | 0, SHIFTS[2][i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const digest = Buffer.alloc(16);
  [a, b, c, d].forEach((word, i) => digest.writeInt32LE(word, 4 * i));
  return digest;
}
