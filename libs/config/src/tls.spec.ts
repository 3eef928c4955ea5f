import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envClientTls, envTls } from './tls.js';

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

  it('client side: off without a CA, a CA alone, or a CA with a certificate pair', () => {
    expect(envClientTls({})).toBeUndefined();
    expect(envClientTls({ CHECKWIRE_TLS_CA_FILE: cert })).toEqual({ ca: Buffer.from('CERT') });
    expect(
      envClientTls({
        CHECKWIRE_TLS_CA_FILE: cert,
        CHECKWIRE_TLS_CERT_FILE: cert,
        CHECKWIRE_TLS_KEY_FILE: key,
      }),
    ).toEqual({ ca: Buffer.from('CERT'), cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
    expect(() =>
      envClientTls({ CHECKWIRE_TLS_CERT_FILE: cert, CHECKWIRE_TLS_KEY_FILE: key }),
    ).toThrow('CHECKWIRE_TLS_CA_FILE: is required with a client certificate');
    expect(() =>
      envClientTls({ CHECKWIRE_TLS_CA_FILE: cert, CHECKWIRE_TLS_CERT_FILE: cert }),
    ).toThrow('CHECKWIRE_TLS_CERT_FILE: and CHECKWIRE_TLS_KEY_FILE go together');
  });
});
