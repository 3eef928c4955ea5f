import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NO_CHECK_SETTINGS, type ContentRule } from './check-settings.js';
import { judgeContent } from './judge.js';

const settings = (expect: ContentRule[], reject: ContentRule[] = [], partial = false) => ({
  ...NO_CHECK_SETTINGS,
  expect,
  reject,
  partial,
});

describe('judgeContent', () => {
  const page = 'Welcome to team 7\nflag{0123abcd}\n';

  it('passes content every expect rule holds for: contains, exact, regex and sha256', async () => {
    const sha = createHash('sha256').update(page).digest('hex');
    const rules: ContentRule[] = [
      { contains: 'team 7' },
      { regex: 'flag\\{[0-9a-f]{8}\\}' },
      { sha256: sha },
    ];
    expect(await judgeContent(page, settings(rules))).toEqual({ verdict: 'pass' });
    expect(await judgeContent(Buffer.from(page), settings([{ exact: page }]))).toEqual({
      verdict: 'pass',
    });
  });

  it('fails on a rejected rule before looking at the expected ones', async () => {
    expect(await judgeContent(page, settings([{ contains: 'nope' }], [{ regex: 'flag' }]))).toEqual(
      {
        verdict: 'fail',
        reason: 'its content matches /flag/, a rejected rule',
      },
    );
  });

  it('fails on a missed rule, naming it, or scores the share that held when partial', async () => {
    const rules: ContentRule[] = [{ contains: 'team 7' }, { contains: 'defaced' }, { exact: 'x' }];
    expect(await judgeContent(page, settings(rules))).toEqual({
      verdict: 'fail',
      reason: 'its content meets 1 of 3 expected rules (the first missed: contains "defaced")',
    });
    expect(await judgeContent(page, settings(rules, [], true))).toEqual({
      verdict: 'partial',
      held: 1,
      of: 3,
      missed: 'contains "defaced"',
    });
    expect(await judgeContent('', settings(rules, [], true))).toMatchObject({ verdict: 'fail' });
  });

  it('runs a pattern that backtracks catastrophically in JavaScript, on a MiB, to its answer', async () => {
    // /(a+)+b/ on "aaaa…" takes exponential time in a backtracking engine; RE2 is linear.
    const content = 'a'.repeat(1 << 20);
    expect(await judgeContent(content, settings([{ regex: '(a+)+b' }]))).toEqual({
      verdict: 'fail',
      reason: 'its content does not meet the expected rule: matches /(a+)+b/',
    });
    expect(await judgeContent(content, settings([{ regex: '(x+x+)+y|^a+$' }]))).toEqual({
      verdict: 'pass',
    });
  });
});
