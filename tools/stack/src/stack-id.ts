import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A name for this data folder's stack, made once and kept there: the stack's app tokens carry it,
 * so a stack revokes only its own old tokens, never those of another stack sharing the database.
 */
export function stackId(dir: string): string {
  const file = join(dir, 'stack-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = randomBytes(4).toString('hex');
  writeFileSync(file, `${id}\n`);
  return id;
}
