import { describe, expect, it } from 'vitest';
import type { ServiceRow } from '@checkwire/db';
import { StatusSubscription } from './status-feed.js';

const row = (id: number, version: number, teamId = 1): ServiceRow =>
  ({ id, version, team_id: teamId }) as ServiceRow;

async function take(sub: StatusSubscription, n: number): Promise<ServiceRow[]> {
  const out: ServiceRow[] = [];
  for await (const r of sub) {
    out.push(r);
    if (out.length === n) break;
  }
  return out;
}

describe('StatusSubscription', () => {
  it('keeps only the newest pending state per service, in first-change order', async () => {
    const sub = new StatusSubscription(undefined, () => undefined);
    sub.push(row(1, 2));
    sub.push(row(2, 5));
    sub.push(row(1, 4));
    sub.push(row(1, 3)); // older than what is queued: dropped
    const got = await take(sub, 2);
    expect(got.map((r) => [r.id, r.version])).toEqual([
      [2, 5],
      [1, 4],
    ]);
  });

  it('filters by team and wakes a waiting reader', async () => {
    const sub = new StatusSubscription(7, () => undefined);
    const pending = take(sub, 1);
    sub.push(row(1, 2, 8));
    sub.push(row(3, 2, 7));
    expect((await pending).map((r) => r.id)).toEqual([3]);
  });

  it('ends with the failure it was given, and tells the feed when it closes', async () => {
    let closed = 0;
    const sub = new StatusSubscription(undefined, () => closed++);
    sub.fail(new Error('lost'));
    await expect(take(sub, 1)).rejects.toThrow('lost');
    expect(closed).toBe(1);
    sub.close();
    expect(closed).toBe(1);
  });
});
