import { describe, expect, it } from 'vitest';
import type { RegistryClient } from './callback.js';
import { JWT_REFRESH_INTERVAL_MS, JWT_REFRESH_REMEMBERED, JwtRefresher } from './jwt-refresh.js';

type RecordOrgJwtRequest = Parameters<RegistryClient['recordOrgJwt']>[0];

/** A registry client that records what it is asked to pass on, failing while `failing` is set. */
class RecordingRegistry {
  readonly calls: RecordOrgJwtRequest[] = [];
  failing = false;

  recordOrgJwt(request: RecordOrgJwtRequest) {
    this.calls.push(request);
    return this.failing
      ? Promise.reject(new Error('the scheduler is unreachable'))
      : Promise.resolve({ updated: true });
  }
}

/** Lets a rejected call's handler run (it is off the caller's path). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

function refresher() {
  const registry = new RecordingRegistry();
  const clock = { at: 1_000_000 };
  const jwts = new JwtRefresher(registry, JWT_REFRESH_INTERVAL_MS, () => clock.at);
  const passed = () => registry.calls.map((c) => `${c.serviceName}/${c.oid}:${c.jwt}`);
  return { registry, clock, jwts, passed };
}

describe('JwtRefresher', () => {
  it("passes an org's JWT on once per interval, and again once the interval has passed", () => {
    const { clock, jwts, passed } = refresher();
    jwts.seen('svc', 'o1', 'first');
    jwts.seen('svc', 'o1', 'second');
    clock.at += JWT_REFRESH_INTERVAL_MS - 1;
    jwts.seen('svc', 'o1', 'third');
    expect(passed()).toEqual(['svc/o1:first']);
    clock.at += 1;
    jwts.seen('svc', 'o1', 'fourth');
    expect(passed()).toEqual(['svc/o1:first', 'svc/o1:fourth']);
  });

  it('keeps orgs and services apart, and ignores an empty org or JWT', () => {
    const { jwts, passed } = refresher();
    jwts.seen('svc', 'o1', 'a');
    jwts.seen('svc', 'o2', 'b');
    jwts.seen('ext/scanner', 'o1', 'c');
    jwts.seen('svc', '', 'd');
    jwts.seen('svc', 'o3', '');
    expect(passed()).toEqual(['svc/o1:a', 'svc/o2:b', 'ext/scanner/o1:c']);
  });

  it('tries again on the next callback after a failure, within the interval', async () => {
    const { registry, jwts, passed } = refresher();
    registry.failing = true;
    jwts.seen('svc', 'o1', 'lost');
    await settled();
    registry.failing = false;
    jwts.seen('svc', 'o1', 'kept');
    jwts.seen('svc', 'o1', 'not-again');
    await settled();
    expect(passed()).toEqual(['svc/o1:lost', 'svc/o1:kept']);
  });

  it(`remembers at most ${JWT_REFRESH_REMEMBERED} orgs, forgetting the longest-unrefreshed`, () => {
    const { jwts, passed } = refresher();
    for (let i = 0; i <= JWT_REFRESH_REMEMBERED; i++) jwts.seen('svc', `o${i}`, 'j');
    expect(passed()).toHaveLength(JWT_REFRESH_REMEMBERED + 1);
    // o0 was forgotten to make room: passed on again. The last one is still remembered.
    jwts.seen('svc', 'o0', 'again');
    jwts.seen('svc', `o${JWT_REFRESH_REMEMBERED}`, 'again');
    expect(passed().slice(JWT_REFRESH_REMEMBERED + 1)).toEqual(['svc/o0:again']);
  });
});
