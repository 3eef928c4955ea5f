import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envTls } from './tls.js';

describe('envTls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'checkwire-tls-env-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, 'CERT');
  writeFileSync(key, 'KEY');

  it('is off without files, on with cert and key, mutual with a client CA', () => {
    expect(envTls({}, 'X')).toBeUndefined();
    expect(envTls({ X_TLS_CERT_FILE: cert, X_TLS_KEY_FILE: key }, 'X')).toEqual({
      cert: Buffer.from('CERT'),
      key: Buffer.from('KEY'),
    });
    expect(
      envTls({ X_TLS_CERT_FILE: cert, X_TLS_KEY_FILE: key, X_TLS_CLIENT_CA_FILE: cert }, 'X')
        ?.clientCa,
    ).toEqual(Buffer.from('CERT'));
  });

  it('names the variable that is missing or unreadable', () => {
    expect(() => envTls({ X_TLS_CERT_FILE: cert }, 'X')).toThrow(
      'X_TLS_KEY_FILE: is required with X_TLS_CERT_FILE',
    );
    expect(() => envTls({ X_TLS_CLIENT_CA_FILE: cert }, 'X')).toThrow(
      'X_TLS_CLIENT_CA_FILE: needs X_TLS_CERT_FILE and X_TLS_KEY_FILE',
    );
    expect(() => envTls({ X_TLS_CERT_FILE: cert, X_TLS_KEY_FILE: join(dir, 'nope') }, 'X')).toThrow(
      /^X_TLS_KEY_FILE: cannot read .*nope/,
    );
  });
});
