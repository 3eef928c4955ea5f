import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPromiseClient,
  GrpcStatus,
  isGrpcError,
  type RunningGrpcServer,
} from '@checkwire/grpc';
import { LcHandlerServiceService } from '@checkwire/proto';
import {
  InteractiveService,
  Job,
  LcService,
  response,
  serveLcService,
  type CallbackContext,
  type ReplyContext,
} from '../src/index.js';

// InteractiveService served as the gateway calls it: what it declares, the tasks a callback's
// answer carries, and the reply callback a reply reaches (the whole round trip through the
// gateway and LimaCharlie's stand-in: libs/lc-gateway/test/interactive.test.ts).

const SID = '5c1e0000-0000-4000-8000-000000000001';
const JOB = '10b0000a-0000-4000-8000-000000000001';

class Triage extends InteractiveService {
  constructor() {
    super('triage');
    this.replyCallback('processes', (ctx: ReplyContext) =>
      response({ jobs: [ctx.job!.narrate(`${ctx.context}: ${JSON.stringify(ctx.event)}`)] }),
    );
  }
  override onRequest(ctx: CallbackContext) {
    const name = typeof ctx.data.callback === 'string' ? ctx.data.callback : 'processes';
    ctx.task(SID, 'os_processes', name, 'a/b', new Job('', JOB));
    ctx.task(SID, ['dir_list / *', 'os_version'], name);
    return true;
  }
}

class Plain extends LcService {
  constructor() {
    super('plain');
  }
  override onRequest(ctx: CallbackContext) {
    ctx.task(SID, 'os_processes', 'processes');
    return true;
  }
}

const clientOf = (s: RunningGrpcServer) => createPromiseClient(LcHandlerServiceService, s.address);
let servers: RunningGrpcServer[];
let triage: ReturnType<typeof clientOf>;
let plain: ReturnType<typeof clientOf>;
beforeAll(async () => {
  servers = [await serveLcService(new Triage()), await serveLcService(new Plain())];
  triage = clientOf(servers[0]!);
  plain = clientOf(servers[1]!);
});
afterAll(async () => {
  triage.close();
  plain.close();
  await Promise.all(servers.map((s) => s.shutdown(100)));
});

const callback = (data: Record<string, unknown> = {}) => ({
  callback: {
    etype: 'request',
    oid: 'o',
    jwt: 'j',
    mid: 'm',
    deadline: undefined,
    data,
    serviceName: 'triage',
    sid: '',
  },
});

async function statusOf(call: Promise<unknown>): Promise<[number, string]> {
  try {
    await call;
  } catch (err) {
    if (isGrpcError(err)) return [err.code, err.details];
    throw err;
  }
  throw new Error('the call succeeded');
}

describe('InteractiveService', () => {
  it('declares itself interactive with its reply callbacks', async () => {
    const d = await triage.describe({});
    expect([d.interactive, d.replyCallbacks]).toEqual([true, ['processes']]);
    const p = await plain.describe({});
    expect([p.interactive, p.replyCallbacks]).toEqual([false, []]);
  });

  it("puts the callback's tasks in its answer", async () => {
    const { result } = await triage.onRequest(callback());
    expect(result?.success).toBe(true);
    expect(result?.tasks).toEqual([
      { sid: SID, commands: ['os_processes'], callback: 'processes', context: 'a/b', jobId: JOB },
      {
        sid: SID,
        commands: ['dir_list / *', 'os_version'],
        callback: 'processes',
        context: '',
        jobId: '',
      },
    ]);
  });

  it('refuses a task for an undeclared reply callback, or from a service not interactive', async () => {
    const [code] = await statusOf(triage.onRequest(callback({ callback: 'nope' })));
    expect(code).toBe(GrpcStatus.INTERNAL);
    const [plainCode] = await statusOf(plain.onRequest(callback()));
    expect(plainCode).toBe(GrpcStatus.INTERNAL);
  });

  it('hands a reply to the named callback with its job, context and event', async () => {
    const { result } = await triage.onTaskReply({
      ...callback(),
      replyCallback: 'processes',
      jobId: JOB,
      context: 'a/b',
      event: { routing: { sid: SID } },
    });
    expect(result?.jobs.map((j) => [j.id, j.narration.map((n) => n.message)])).toEqual([
      [JOB, [`a/b: {"routing":{"sid":"${SID}"}}`]],
    ]);
    const [code, details] = await statusOf(
      triage.onTaskReply({ ...callback(), replyCallback: 'gone', jobId: '', context: '' }),
    );
    expect([code, details]).toEqual([
      GrpcStatus.UNIMPLEMENTED,
      'triage does not implement reply callback gone',
    ]);
  });
});
