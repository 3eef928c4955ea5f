import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '@checkwire/lc-wire';
import {
  delay,
  hexDump,
  Job,
  json,
  LcService,
  parallelExec,
  ParallelTimeoutError,
  response,
  schedule,
  table,
  yaml,
  type CallbackContext,
} from '../src/index.js';

describe('parallelExec', () => {
  it('keeps order, bounds concurrency, and returns per-item errors instead of throwing', async () => {
    let running = 0;
    let peak = 0;
    const results = await parallelExec(
      async (n: number) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20 - n));
        running--;
        if (n === 3) throw new Error('three');
        return n * 10;
      },
      [1, 2, 3, 4, 5, 6],
      { maxConcurrent: 2 },
    );
    expect(peak).toBe(2);
    expect(results.slice(0, 2)).toEqual([10, 20]);
    expect(results[2]).toBeInstanceOf(Error);
    expect((results[2] as Error).message).toBe('three');
    expect(results.slice(3)).toEqual([40, 50, 60]);
  });

  it('gives up on an item after the timeout', async () => {
    const results = await parallelExec(
      (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms)),
      [5, 500],
      { timeoutMs: 50 },
    );
    expect(results[0]).toBe(5);
    expect(results[1]).toBeInstanceOf(ParallelTimeoutError);
  });
});

describe('schedule and delay', () => {
  it('runs a delayed function once and a scheduled one repeatedly until cancelled', async () => {
    let delayed = 0;
    let scheduled = 0;
    delay(10, () => delayed++);
    const every = schedule(10, () => {
      scheduled++;
      throw new Error('a failing run does not stop the schedule');
    });
    await new Promise((r) => setTimeout(r, 80));
    every.cancel();
    const after = scheduled;
    await new Promise((r) => setTimeout(r, 40));
    expect(delayed).toBe(1);
    expect(after).toBeGreaterThanOrEqual(3);
    expect(scheduled).toBe(after);
  });
});

describe('Job and attachments', () => {
  it('narrates with every attachment type, as the gateway will send it', () => {
    const job = new Job('cause');
    job.addSensor('s1').addSensor('s1').setCause('better');
    job.narrate('one', {
      important: true,
      attachments: [
        hexDump('h', 'AB'),
        table('t', ['a'], [[1], [true]]),
        json('j', { é: [1.5] }),
        yaml('y', { a: [1] }),
      ],
    });
    job.close();
    const update = job.toUpdate();
    expect(update).toMatchObject({ id: job.id, cause: 'better', sensorIds: ['s1'], closed: true });
    expect(update.narration[0]!.attachments.map((a) => a.content)).toEqual([
      { $case: 'hexDump', value: { data: Buffer.from('AB') } },
      { $case: 'table', value: { headers: ['a'], rows: [{ cells: ['1'] }, { cells: ['true'] }] } },
      { $case: 'json', value: { text: pythonJsonDumps({ é: [1.5] }, { indent: 2 }) } },
      { $case: 'yaml', value: { text: 'a:\n  - 1\n' } },
    ]);
    expect(update.narration[0]!.attachments[2]!.content).toEqual({
      $case: 'json',
      value: { text: '{\n  "\\u00e9": [\n    1.5\n  ]\n}' },
    });
  });
});

describe('LcService', () => {
  class Svc extends LcService {
    constructor() {
      super('svc');
      this.setRequestParameters({ n: { type: 'int', isRequired: true, desc: 'n' } });
      this.subscribeToDetect('d');
      this.publishResource('r', 'lookup', 'content');
    }
    override onRequest(ctx: CallbackContext) {
      return response({ data: { n: ctx.data.n } });
    }
    override every7DayPerSensor() {
      return false;
    }
  }

  it('describes what it implements and declares', () => {
    const d = new Svc().describe();
    expect(d.callbacks).toEqual(['request', 'sensor_per_7d']);
    expect(d.detectSubscriptions).toEqual(['d']);
    expect(d.requestParameters).toEqual({
      n: { type: 1, values: [], isRequired: true, description: 'n' },
    });
    expect(d.resources).toEqual([
      { name: 'r', category: 'lookup', content: Buffer.from('content') },
    ]);
  });

  it('finds callbacks by wire etype, and none for the unimplemented', () => {
    const svc = new Svc();
    expect(svc.callbackFor('sensor_per_7d')).toBeTypeOf('function');
    expect(svc.callbackFor('org_per_7d')).toBeUndefined();
    expect(svc.callbackFor('health')).toBeUndefined();
  });
});
