import { serviceDraft } from '@checkwire/testing';
import { describe, expect, it } from 'vitest';
import { serviceDetails } from './services.command.js';

const lastCheckLine = (over: Parameters<typeof serviceDraft>[1]) =>
  serviceDetails({ ...serviceDraft(1, over), id: 7, name: 'portal' }, new Map())
    .split('\n')
    .find((l) => l.startsWith('last check:'));

describe('serviceDetails', () => {
  it('reads a result below the score cap as partial, as scoring does', () => {
    const at = new Date('2026-12-02T22:36:01.903Z');
    expect(lastCheckLine({ scoreCap: 10, lastScan: 6, lastScanTime: at })).toBe(
      'last check:         partial (result 6 of 10) at 2026-12-02T22:36:01.903Z',
    );
    expect(lastCheckLine({ scoreCap: 10, lastScan: 10, lastScanTime: at })).toBe(
      'last check:         up (result 10) at 2026-12-02T22:36:01.903Z',
    );
    expect(lastCheckLine({ lastScan: 1, lastScanTime: at })).toBe(
      'last check:         up (result 1) at 2026-12-02T22:36:01.903Z',
    );
    expect(lastCheckLine({ scoreCap: 10, lastScan: 0, lastScanTime: at })).toBe(
      'last check:         down (result 0) at 2026-12-02T22:36:01.903Z',
    );
  });

  it('names the check settings in a few words', () => {
    const line = serviceDetails(
      {
        ...serviceDraft(1, {}),
        checkSettings: {
          expect: [{ rule: { $case: 'contains', value: 'x' } }],
          reject: [],
          partial: false,
          dns: { recordType: 'mx' },
        },
      },
      new Map(),
    )
      .split('\n')
      .find((l) => l.startsWith('check settings:'));
    expect(line).toBe('check settings:     expect 1 rule, dns MX');
  });
});
