import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LC_API_DEFAULTS } from './lc-api.options.js';

// One source per fact: the README's table of defaults must say what LC_API_DEFAULTS says.
describe('README', () => {
  it('lists every default as LC_API_DEFAULTS has it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const options = readme.slice(readme.indexOf('## Options'));
    const rows = new Map(
      [...options.matchAll(/^\| `(\w+)`\s*\| `([^`]+)`/gm)].map((m) => [m[1], m[2]] as const),
    );
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(LC_API_DEFAULTS).map(([k, v]) => [k, JSON.stringify(v)])),
    );
  });
});
