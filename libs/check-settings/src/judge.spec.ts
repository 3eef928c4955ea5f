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

describe('judgeContent with costly patterns', () => {
  it('runs them off the event loop, and answers unjudged when they exceed the budget', async () => {
    // 1503 RE2 instructions on a MiB of "a": about a minute of matching on this machine, far
    // beyond the budget; validation refuses such a pattern, this is a row written around it.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      const judged = await judgeContent(
        'a'.repeat(1 << 20),
        settings([{ regex: '(?i)(?:a?){500}a{500}b' }]),
        300,
      );
      expect(judged).toEqual({
        verdict: 'unjudged',
        reason:
          "the check settings' patterns took more than 300 ms on 1048576 bytes of content: make them simpler (fewer counted repetitions)",
      });
    } finally {
      clearInterval(ticker);
    }
    // The event loop kept turning while the worker matched.
    expect(ticks).toBeGreaterThan(0);
  });

  it('answers costly patterns that finish in time, from a worker', async () => {
    const hex = '0123456789abcdef'.repeat(1 << 14);
    const judged = await judgeContent(
      `${hex} token=${'f'.repeat(64)}x`,
      settings([{ regex: 'token=[0-9a-f]{64}x' }], [{ regex: '[0-9a-f]{64}z' }]),
    );
    expect(judged).toEqual({ verdict: 'pass' });
  });
});
