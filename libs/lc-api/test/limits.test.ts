import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LcApiAbortedError,
  LcApiBadResponseError,
  LcApiDeadlineExceededError,
  LcApiRefusedError,
  LcApiUnavailableError,
  LC_API_DEFAULTS,
} from '../src/index.js';
import { freePort, rejection, reset, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.cloud.close();
});
beforeEach(() => reset(h));

const task = (over: Record<string, unknown> = {}, client = h.client()) =>
  client.taskSensor({ oid: h.oid, jwt: h.jwt, sid: h.sid, tasks: 'os_info', ...over });

/** Everything an error shows: message, stack, own fields, and its cause's. */
const everything = (err: Error) =>
  [
    err.message,
    err.stack,
    JSON.stringify(err),
    String(err.cause),
    (err.cause as Error)?.stack,
  ].join('\n');

describe('deadlines', () => {
  it('stops a call LimaCharlie never answers at its deadline', async () => {
    h.cloud.inject({ kind: 'hang' });
    const err = await rejection(task({ timeoutMs: 1000 }));
    expect(err).toBeInstanceOf(LcApiDeadlineExceededError);
    expect(err.message).toBe(
      `LimaCharlie API: task sensor ${h.sid} in org ${h.oid} failed: no answer within the call's ` +
        'deadline of 1000 ms. The sensor may have been tasked all the same: the task was not sent ' +
        'again, so that the sensor is not tasked twice.',
    );
    // Sent once and never again (on a slow machine the stand-in may not have read it yet).
    expect(h.cloud.requests.length).toBeLessThanOrEqual(1);
    expect(h.cloud.requests.every((r) => r.answered === 'hang')).toBe(true);
  });

  it('the deadline covers retries too: a hanging retry of a replace stops there', async () => {
    h.cloud.inject({ kind: 'status', status: 503 });
    h.cloud.inject({ kind: 'hang' });
    const err = await rejection(
      h.client({ timeoutMs: 2000, backoffBaseMs: 1 }).putRule({
        oid: h.oid,
        jwt: h.jwt,
        name: 'r',
        detect: { op: 'exists', path: 'event' },
        respond: [],
        isReplace: true,
      }),
    );
    expect(err).toBeInstanceOf(LcApiDeadlineExceededError);
    expect(err).toMatchObject({ attempts: 2, status: 503, maybeApplied: true });
    expect(h.cloud.requests.map((r) => r.answered)).toEqual([503, 'hang']);
  });

  it("stops when the caller's signal aborts", async () => {
    h.cloud.inject({ kind: 'hang' });
    const controller = new AbortController();
    const pending = task({ signal: controller.signal });
    await until(() => h.cloud.requests.length === 1);
    controller.abort();
    const err = await rejection(pending);
    expect(err).toBeInstanceOf(LcApiAbortedError);
    expect(err.message).toContain('failed: aborted by the caller.');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const err = await rejection(task({ signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(LcApiAbortedError);
    expect(err).toMatchObject({ attempts: 0 });
    expect(h.cloud.requests).toHaveLength(0);
  });
});

describe('bounded answers', () => {
  it('stops reading a huge 200 answer at maxResponseBytes and does not take it for success', async () => {
    // 64 MiB streamed; the client reads 1 MiB of it.
    h.cloud.inject({
      kind: 'status',
      status: 200,
      body: 'x'.repeat(65536),
      repeatBody: 1024,
      afterApplying: true,
    });
    const err = await rejection(task());
    expect(err).toBeInstanceOf(LcApiBadResponseError);
    expect(err.message).toContain(
      `the answer (HTTP 200) is larger than ${LC_API_DEFAULTS.maxResponseBytes} bytes (read no further)`,
    );
    expect(err).toMatchObject({ maybeApplied: true, attempts: 1 });
  });

  it("takes a 200 that is not JSON (a proxy's page) for an error, not a success", async () => {
    h.cloud.inject({
      kind: 'status',
      status: 200,
      body: '<html>Sign in</html>',
      afterApplying: true,
    });
    const err = await rejection(task());
    expect(err).toBeInstanceOf(LcApiBadResponseError);
    expect(err.message).toContain('the answer (HTTP 200) is not JSON.');
  });

  it('quotes at most maxErrorTextChars of a huge error answer, on one line', async () => {
    const line = `bad\r\n\tthing ${'y'.repeat(1000)}`;
    h.cloud.inject({ kind: 'status', status: 400, body: line, repeatBody: 100_000 });
    const err = await rejection(task());
    expect(err).toBeInstanceOf(LcApiRefusedError);
    const said = (err as LcApiRefusedError).lcError ?? '';
    expect(said.startsWith('bad thing yyy')).toBe(true);
    expect(Array.from(said)).toHaveLength(LC_API_DEFAULTS.maxErrorTextChars + 1); // with "…"
    expect(err.message).not.toMatch(/[\r\n\t]/);
  });

  it("quotes LimaCharlie's error field, not the whole JSON", async () => {
    h.cloud.inject({
      kind: 'status',
      status: 400,
      body: '{"error":"invalid task: nope","code":7}',
    });
    const err = await rejection(task());
    expect(err.message).toContain('(HTTP 400): LimaCharlie said "invalid task: nope".');
  });
});

describe('the JWT never appears in an error', () => {
  it('is removed when LimaCharlie echoes it (whole, cut short, or as a Bearer header)', async () => {
    const echoes = [
      `{"error": "token ${h.jwt} is not valid here"}`,
      `{"error": "bad Authorization: Bearer ${h.jwt}"}`,
      `token ${h.jwt.slice(0, 40)}`,
    ];
    for (const body of echoes) {
      h.cloud.inject({ kind: 'status', status: 401, body });
      const err = await rejection(task());
      expect(everything(err)).not.toContain(h.jwt.slice(0, 24));
      expect(err.message).toContain('[jwt]');
    }
  });

  it('is in no error of any kind (network, deadline, 5xx, bad input)', async () => {
    const errors = [
      await rejection(
        task({}, h.client({ baseUrl: `http://127.0.0.1:${await freePort()}`, maxAttempts: 1 })),
      ),
      await rejection((h.cloud.inject({ kind: 'hang' }), task({ timeoutMs: 200 }))),
      await rejection((h.cloud.inject({ kind: 'reset' }), task())),
      await rejection((h.cloud.inject({ kind: 'status', status: 500 }), task())),
      await rejection(task({ sid: 'nope' })),
    ];
    expect(errors[0]).toBeInstanceOf(LcApiUnavailableError);
    for (const err of errors) expect(everything(err)).not.toContain(h.jwt);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('timed out waiting for the condition');
}
