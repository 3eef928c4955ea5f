import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Authenticator, TokenAdministration } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { loadEventFile } from '@checkwire/event-file';
import { WORKSPACE_ROOT } from './root.js';

/**
 * Checks a competition file before anything starts (its problems, each with its line, or
 * nothing): `npm start -- --event FILE` must not start a stack it will then stop.
 */
export function checkEventFile(file: string): void {
  loadEventFile(file, readFileSync(file, 'utf8'), process.env);
}

/**
 * Applies the competition file with the real CLI (`checkwire apply`), as the white team would,
 * with an admin token minted for this and revoked after. Returns the CLI's summary line (its
 * list of changes is long for a start: `export` shows the result); throws with its error output
 * when it refused.
 */
export async function applyEventFile(
  file: string,
  databaseUrl: string,
  scoringAddress: string,
  stack: string,
): Promise<string> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
  try {
    const token = await tokens.create({ name: `npm start (${stack}): apply`, role: 'admin' });
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(WORKSPACE_ROOT, 'apps/cli/src/main.ts'), 'apply', '-f', file],
        {
          cwd: process.cwd(),
          env: { ...process.env, CHECKWIRE_ADDRESS: scoringAddress, CHECKWIRE_TOKEN: token.secret },
        },
      );
      return stdout.split('\n')[0]!;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`applying ${file} failed:\n${(e.stderr ?? e.message).trimEnd()}`);
    } finally {
      await tokens.revoke(token.token.id);
    }
  } finally {
    await handle.close();
  }
}
