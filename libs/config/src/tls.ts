import { readFileSync } from 'node:fs';
import { ConfigError, quoted } from './config-error.js';
import { envOptional } from './env.js';

type Env = Record<string, string | undefined>;

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  /** Present: clients must show a certificate this CA signed (mutual TLS). */
  clientCa?: Buffer;
}

function readPem(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(
      name,
      `cannot read ${quoted(path)} (${code})`,
      'set it to a PEM file this process may read',
    );
  }
}

/**
 * `<PREFIX>_TLS_CERT_FILE` + `<PREFIX>_TLS_KEY_FILE` (PEM) turn TLS on; `<PREFIX>_TLS_CLIENT_CA_FILE`
 * also requires client certificates. Neither: undefined (plaintext). One without the other: error.
 */
export function envTls(env: Env, prefix: string): TlsFiles | undefined {
  const [certVar, keyVar, caVar] = ['CERT', 'KEY', 'CLIENT_CA'].map(
    (p) => `${prefix}_TLS_${p}_FILE`,
  );
  const certPath = envOptional(env, certVar!);
  const keyPath = envOptional(env, keyVar!);
  const caPath = envOptional(env, caVar!);
  if (certPath === undefined && keyPath === undefined) {
    if (caPath !== undefined) {
      throw new ConfigError(
        caVar!,
        `needs ${certVar} and ${keyVar}`,
        'set them too (the server certificate and key), or unset it',
      );
    }
    return undefined;
  }
  const pair = `set both (PEM files), or neither for plaintext`;
  if (certPath === undefined) throw new ConfigError(certVar!, `is required with ${keyVar}`, pair);
  if (keyPath === undefined) throw new ConfigError(keyVar!, `is required with ${certVar}`, pair);
  return {
    cert: readPem(certVar!, certPath),
    key: readPem(keyVar!, keyPath),
    ...(caPath === undefined ? {} : { clientCa: readPem(caVar!, caPath) }),
  };
}

export interface ClientTlsFiles {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/**
 * How an app's gRPC clients reach Checkwire's servers: `CHECKWIRE_TLS_CA_FILE` (the CA that signed
 * their certificates) turns TLS on; `CHECKWIRE_TLS_CERT_FILE` + `_KEY_FILE` add a client
 * certificate for mutual TLS. Unset: plaintext.
 */
export function envClientTls(env: Env): ClientTlsFiles | undefined {
  const caPath = envOptional(env, 'CHECKWIRE_TLS_CA_FILE');
  const certPath = envOptional(env, 'CHECKWIRE_TLS_CERT_FILE');
  const keyPath = envOptional(env, 'CHECKWIRE_TLS_KEY_FILE');
  if (caPath === undefined) {
    if (certPath !== undefined || keyPath !== undefined) {
      throw new ConfigError(
        'CHECKWIRE_TLS_CA_FILE',
        'is required with a client certificate',
        "set it to the CA that signed the servers' certificates, or unset the client certificate",
      );
    }
    return undefined;
  }
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError(
      'CHECKWIRE_TLS_CERT_FILE',
      'and CHECKWIRE_TLS_KEY_FILE go together',
      'set both (PEM files), or neither',
    );
  }
  return {
    ca: readPem('CHECKWIRE_TLS_CA_FILE', caPath),
    ...(certPath === undefined ? {} : { cert: readPem('CHECKWIRE_TLS_CERT_FILE', certPath) }),
    ...(keyPath === undefined ? {} : { key: readPem('CHECKWIRE_TLS_KEY_FILE', keyPath) }),
  };
}
