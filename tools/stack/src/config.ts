import { resolve } from 'node:path';
import { envInt, envOptional, envString } from '@checkwire/config';

export interface StackConfig {
  /** DATABASE_URL: use this PostgreSQL instead of the embedded one. */
  readonly databaseUrl: string | undefined;
  /** CHECKWIRE_DATA_DIR: where the embedded PostgreSQL keeps its cluster. @default .data */
  readonly dataDir: string;
  /** EMBEDDED_POSTGRES_PORT: 0 picks a free port. @default 0 */
  readonly embeddedPostgresPort: number;
  /** Where the example LC service's origin secret is kept (in CHECKWIRE_DATA_DIR). */
  readonly lcSecretFile: string;
}

export function loadStackConfig(
  env: Record<string, string | undefined> = process.env,
): StackConfig {
  return Object.freeze({
    databaseUrl: envOptional(env, 'DATABASE_URL'),
    dataDir: resolve(envString(env, 'CHECKWIRE_DATA_DIR', '.data'), 'postgres'),
    embeddedPostgresPort: envInt(env, 'EMBEDDED_POSTGRES_PORT', 0, 0, 65535),
    lcSecretFile: resolve(envString(env, 'CHECKWIRE_DATA_DIR', '.data'), 'lc-example.secret'),
  });
}
