import { describe, expect, it } from 'vitest';
import { checkRequestId } from './request-id.js';

describe('checkRequestId', () => {
  it('names the service and the round, so retries of a round share one score', () => {
    const round = new Date('2026-11-24T10:00:00Z');
    expect(checkRequestId(7, round)).toBe('check:7:2026-11-24T10:00:00.000Z');
    expect(checkRequestId(7, new Date(round))).toBe(checkRequestId(7, round));
    expect(checkRequestId(8, round)).not.toBe(checkRequestId(7, round));
  });
});
