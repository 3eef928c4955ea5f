// RC4, the stream cipher NTLM seals with (MS-NLMP 3.4.3) and wraps its session key with (3.4.5.1),
// which Node's OpenSSL 3 offers only in its legacy provider. Used for NTLM alone.

/** One RC4 keystream: each call to `update` continues it, as NTLM's sealing handle does. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Buffer) {
    if (key.length === 0 || key.length > 256) throw new RangeError('RC4: a key of 1 to 256 bytes');
    for (let n = 0; n < 256; n++) this.s[n] = n;
    for (let n = 0, j = 0; n < 256; n++) {
      j = (j + this.s[n]! + key[n % key.length]!) & 0xff;
      [this.s[n], this.s[j]] = [this.s[j]!, this.s[n]!];
    }
  }

  /** `data` XORed with the next bytes of the keystream (a new buffer). */
  update(data: Buffer): Buffer {
    const out = Buffer.alloc(data.length);
    const s = this.s;
    for (let n = 0; n < data.length; n++) {
      this.i = (this.i + 1) & 0xff;
      this.j = (this.j + s[this.i]!) & 0xff;
      [s[this.i], s[this.j]] = [s[this.j]!, s[this.i]!];
      out[n] = data[n]! ^ s[(s[this.i]! + s[this.j]!) & 0xff]!;
    }
    return out;
  }
}
