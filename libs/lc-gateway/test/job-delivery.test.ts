import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBody, sign } from '@checkwire/lc-wire';
import { Job, LcService, response, type CallbackContext } from '@checkwire/lc-sdk';
import { lcBody, startGateway, type GatewayHarness } from './harness.js';

// Job changes are marked delivered only once the answer carrying them has been written: an
// answer LimaCharlie never got (it hung up first) leaves them to be sent again.

const SECRET = 'delivery-secret';

/** Narrates one job per org; `hold` makes the next request wait until released. */
class Narrator extends LcService {
  entered: (() => void) | undefined;
  release: (() => void) | undefined;
  constructor() {
    super('narrator');
  }
  override async onRequest(ctx: CallbackContext) {
    if (ctx.data.hold === true) {
      const released = new Promise<void>((r) => (this.release = r));
      this.entered?.();
      await released;
    }
    if (ctx.data.job === undefined) return response({});
    const job = new Job('narrated', ctx.data.job as string);
    return response({ jobs: [job.narrate(`entry for ${ctx.oid}`)] });
  }
}

const narrator = new Narrator();
let h: GatewayHarness;
let sql: pg.Pool;
beforeAll(async () => {
  h = await startGateway([narrator], ([a]) => [{ name: 'narrator', secret: SECRET, handler: a! }], {
    jobLeaseSeconds: 1,
  });
  sql = new pg.Pool({ connectionString: h.databaseUrl, max: 1 });
});
afterAll(async () => {
  await sql.end();
  await h.stop();
});

async function delivery(jobId: string) {
  const { rows } = await sql.query(
    'SELECT start_delivered, delivered_entries, lease_id FROM job WHERE id = $1',
    [jobId],
  );
  return rows[0] as { start_delivered: boolean; delivered_entries: number; lease_id: string };
}

async function until(probe: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 25));
}

describe('job delivery through the gateway', () => {
  it('confirms what an answer carried once it is written', async () => {
    const jobId = '0000aaaa-0000-4000-8000-000000000001';
    const answer = await h.post('/narrator', lcBody('request', { job: jobId }, { oid: 'org-a' }));
    expect(answer.json.jobs.map((j: { id: string }) => j.id)).toEqual([jobId]);
    await until(async () => (await delivery(jobId)).lease_id === null);
    expect(await delivery(jobId)).toEqual({
      start_delivered: true,
      delivered_entries: 1,
      lease_id: null,
    });
  });

  it('sends again what an answer never written carried', async () => {
    const jobId = '0000aaaa-0000-4000-8000-000000000002';
    const bytes = canonicalBody(lcBody('request', { job: jobId, hold: true }, { oid: 'org-b' }));
    const entered = new Promise<void>((r) => (narrator.entered = r));
    const unsentBefore = h.gateway.counters.answersUnsent;
    // LimaCharlie sends the callback, then gives up on it before the answer comes.
    const req = request(`${h.gateway.url}/narrator`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'lc-svc-sig': sign(SECRET, bytes),
        'content-length': Buffer.byteLength(bytes),
      },
    });
    req.on('error', () => undefined);
    req.end(bytes);
    await entered;
    req.destroy();
    narrator.release!();
    await until(() => h.gateway.counters.answersUnsent > unsentBefore);
    expect((await delivery(jobId)).start_delivered).toBe(false);
    // The next callback for the org, once the lease has run out, carries the job after all.
    let again;
    for (;;) {
      again = await h.post('/narrator', lcBody('request', {}, { oid: 'org-b' }));
      if (again.json.jobs?.some((j: { id: string }) => j.id === jobId) === true) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const job = again.json.jobs.find((j: { id: string }) => j.id === jobId);
    expect(job.cause).toBe('narrated');
    expect(job.hist.map((e: { msg: string }) => e.msg)).toEqual(['entry for org-b']);
    await until(async () => (await delivery(jobId)).lease_id === null);
    expect((await delivery(jobId)).start_delivered).toBe(true);
  });
});
