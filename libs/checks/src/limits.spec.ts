import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as limits from './limits.js';

describe('limits', () => {
  it('are the values the README states (one source: the README is checked against the code)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = new Map(
      [...readme.matchAll(/^\| `(MAX_\w+)`\s*\| (\d+)\s*\|/gm)].map((m) => [m[1], Number(m[2])]),
    );
    const declared = Object.entries(limits).filter(([name]) => name.startsWith('MAX_'));
    expect(declared.length).toBeGreaterThan(0);
    expect(documented).toEqual(new Map(declared));
  });
});
