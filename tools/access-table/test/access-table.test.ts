import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_TABLE_FILE, renderAccessTable } from '../src/render.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe(ACCESS_TABLE_FILE, () => {
  it('is what the policies say (run `npm run docs:access` after changing one)', () => {
    expect(readFileSync(join(root, ACCESS_TABLE_FILE), 'utf8')).toBe(renderAccessTable());
  });
});
