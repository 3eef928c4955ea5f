import { createCipheriv, getCiphers } from 'node:crypto';
import { down, fromNetworkError, up, type Check, type CheckResult } from './check.js';
import { ByteClient } from './byte-client.js';
import { MAX_LINE_BYTES } from './limits.js';
import { MalformedReplyError, serverText } from './server-reply.js';
import { DEFAULT_PORTS } from './default-ports.js';

// RFB, the VNC protocol (RFC 6143): version handshake, security types, VNC authentication
// (a DES challenge-response), SecurityResult, then ClientInit/ServerInit for the desktop name.

const NONE = 1;
const VNC_AUTH = 2;

/**
 * OpenSSL 3 moved single DES to its legacy provider, which Node 20 does not load: 'des-ecb' is
 * then missing. Two-key triple DES with both keys equal (E_K(D_K(E_K(x))) = E_K(x)) is single
 * DES, and 'des-ede-ecb' is in the default provider.
 */
const DES = getCiphers().includes('des-ecb')
  ? { cipher: 'des-ecb', key: (k: Buffer) => k }
  : { cipher: 'des-ede-ecb', key: (k: Buffer) => Buffer.concat([k, k]) };

/** VNC authentication's response: the challenge DES-encrypted with the password as key (§7.2.2). */
export function vncResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  // The key's bits are taken in the reverse order within each byte (as the first VNC did).
  for (let i = 0; i < 8; i++) {
    let b = key[i]!;
    let r = 0;
    for (let bit = 0; bit < 8; bit++, b >>= 1) r = (r << 1) | (b & 1);
    key[i] = r;
  }
  const cipher = createCipheriv(DES.cipher, DES.key(key), null).setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

/** A failure reason: a u32 length and text (bounded by MAX_LINE_BYTES). */
async function reason(c: ByteClient): Promise<string> {
  const length = (await c.readExactly(4)).readUInt32BE(0);
  if (length > MAX_LINE_BYTES) {
    throw new MalformedReplyError(
      `a reason string of ${length} bytes (more than ${MAX_LINE_BYTES})`,
    );
  }
  return (await c.readExactly(length)).toString('utf8');
}

/**
 * VNC: the RFB handshake (3.3, 3.7 or 3.8). With a password, VNC authentication must be offered and
 * accepted (a refusal is "credentials"); without one, the None type must be offered. Then the
 * desktop name (ServerInit) must contain `expect`, when set.
 */
export const vncCheck: Check = async (t, { timeoutMs }) => {
  const what = `vnc ${t.host}`;
  let c: ByteClient | undefined;
  try {
    c = await ByteClient.open(t.host, t.port || DEFAULT_PORTS.vnc, timeoutMs);
    return await handshake(c, t.password, t.expect, what);
  } catch (err) {
    return fromNetworkError(err, what);
  } finally {
    c?.close();
  }
};

async function handshake(
  c: ByteClient,
  password: string,
  expected: string,
  what: string,
): Promise<CheckResult> {
  const quote = (s: string) => serverText(s, [password]);
  const banner = (await c.readExactly(12)).toString('latin1');
  const version = /^RFB (\d{3})\.(\d{3})\n$/.exec(banner);
  if (version === null) return down('content', `${what}: not an RFB server: ${quote(banner)}`);
  // 3.3, 3.7 and 3.8 are the versions there are; others (3.5, Apple's 3.889) read as 3.3 (§7.1.1).
  const [major, minor] = [Number(version[1]), Number(version[2])];
  const ours = major > 3 || minor >= 8 ? 8 : minor === 7 ? 7 : 3;
  c.write(`RFB 003.00${ours}\n`);

  let types: number[];
  if (ours === 3) {
    const type = (await c.readExactly(4)).readUInt32BE(0);
    types = type === 0 ? [] : [type];
  } else {
    const count = (await c.readExactly(1))[0]!;
    types = count === 0 ? [] : [...(await c.readExactly(count))];
  }
  if (types.length === 0)
    return down('content', `${what}: connection refused: ${quote(await reason(c))}`);

  const wanted = password === '' ? NONE : VNC_AUTH;
  if (!types.includes(wanted)) {
    const offered = `security types ${types.slice(0, 16).join(', ')}${types.length > 16 ? ', …' : ''}`;
    if (wanted === NONE && types.includes(VNC_AUTH)) {
      return down('credentials', `${what}: a password is required (${offered})`);
    }
    return down(
      'content',
      `${what}: no ${wanted === NONE ? 'None' : 'VNC'} authentication (${offered})`,
    );
  }
  if (ours !== 3) c.write(Buffer.from([wanted]));
  if (wanted === VNC_AUTH) c.write(vncResponse(password, await c.readExactly(16)));

  // SecurityResult: always after VNC authentication, after None only from 3.8.
  if (wanted === VNC_AUTH || ours === 8) {
    const result = (await c.readExactly(4)).readUInt32BE(0);
    if (result !== 0) {
      const why = ours === 8 ? `: ${quote(await reason(c))}` : '';
      return down('credentials', `${what}: authentication failed${why}`);
    }
  }

  c.write(Buffer.from([1])); // ClientInit: shared
  const init = await c.readExactly(24);
  const nameLength = init.readUInt32BE(20);
  if (nameLength > MAX_LINE_BYTES) {
    throw new MalformedReplyError(
      `a desktop name of ${nameLength} bytes (more than ${MAX_LINE_BYTES})`,
    );
  }
  const name = (await c.readExactly(nameLength)).toString('utf8');
  if (expected !== '' && !name.includes(expected)) {
    return down(
      'content',
      `${what}: desktop name does not contain the expected text`,
      `expected: ${expected}`,
    );
  }
  return up(
    `${what}: desktop ${quote(name)} (${init.readUInt16BE(0)}x${init.readUInt16BE(2)})`,
    name,
  );
}
