import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '@checkwire/lc-wire';
import {
  delay,
  hexDump,
  Job,
  json,
  LcService,
  parallelExec,
  parallelExecEx,
  ParallelTimeoutError,
  response,
  schedule,
  Table,
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

describe('parallelExecEx', () => {
  it('pairs each result or error with its key, in key order', async () => {
    const results = await parallelExecEx(
      (n: number) => {
        if (n < 0) throw new Error('negative');
        return n * 2;
      },
      { a: 1, b: -1, c: 3 },
      { maxConcurrent: 1 },
    );
    expect(results.map(([k, r]) => [k, r instanceof Error ? r.message : r])).toEqual([
      ['a', 2],
      ['b', 'negative'],
      ['c', 6],
    ]);
    const fromMap = await parallelExecEx((s: string) => s.length, new Map([['x', 'abc']]));
    expect(fromMap).toEqual([['x', 3]]);
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
      { $case: 'yaml', value: { text: 'a:\n- 1\n' } },
    ]);
    expect(update.narration[0]!.attachments[2]!.content).toEqual({
      $case: 'json',
      value: { text: '{\n  "\\u00e9": [\n    1.5\n  ]\n}' },
    });
  });
});

describe('lcservice rules for jobs and attachments', () => {
  it('refuses to send a new job without a cause; a job named by id may omit it', () => {
    expect(() => new Job().narrate('x').toUpdate()).toThrow(/"cause" is required for new jobs$/);
    expect(() => new Job('  ').toUpdate()).toThrow(/"cause" is required for new jobs$/);
    expect(new Job('', '11111111-2222-4333-8444-555555555555').toUpdate().cause).toBe('');
  });

  it('gives every narration entry its own id, kept when the job is sent again', () => {
    const job = new Job('c').narrate('a').narrate('b');
    const first = job.toUpdate().narration.map((e) => e.id);
    expect(first).toHaveLength(2);
    expect(first[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(first).size).toBe(2);
    job.narrate('c');
    expect(
      job
        .toUpdate()
        .narration.map((e) => e.id)
        .slice(0, 2),
    ).toEqual(first);
  });

  it('renders YAML as PyYAML safe_dump(default_flow_style=False) does', () => {
    const text = (a: ReturnType<typeof yaml>) =>
      a.content?.$case === 'yaml' ? a.content.value.text : undefined;
    // Keys sorted, list items at their key's indent, single quotes, 1.1 booleans quoted.
    expect(
      text(yaml('y', { z: { b: 1, a: [{ q: 1, p: 2 }] }, rules: ['a', 'b'], s: 'yes', e: '' })),
    ).toBe("e: ''\nrules:\n- a\n- b\ns: 'yes'\nz:\n  a:\n  - p: 2\n    q: 1\n  b: 1\n");
    expect(text(yaml('y', []))).toBe('[]\n');
  });

  it.each([
    ['a string', 'text'],
    ['a number', 1],
    ['null', null],
    ['a boolean', true],
  ])('refuses %s as JSON or YAML attachment data (lcservice takes a dict or a list)', (_, v) => {
    expect(() => json('j', v)).toThrow(/^JSON attachment data must be an object or a list, not /);
    expect(() => yaml('y', v)).toThrow(/^YAML attachment data must be an object or a list, not /);
  });

  it('builds a table row by row, refusing rows that are not lists', () => {
    const t = new Table('sensors', ['sid', 'n']);
    expect(t.length).toBe(0);
    t.addRow(['s1', 1]).addRow(['s2', 2]);
    expect(t.length).toBe(2);
    expect(t.toAttachment()).toEqual(
      table(
        'sensors',
        ['sid', 'n'],
        [
          ['s1', 1],
          ['s2', 2],
        ],
      ),
    );
    expect(() => t.addRow('s3' as unknown as unknown[])).toThrow(
      'Table row must be a list, not string',
    );
    expect(() => new Table('t', 'sid' as unknown as unknown[])).toThrow(
      'Table headers must be a list, not string',
    );
    const job = new Job('c').narrate('with a table', { attachments: [t] });
    expect(job.toUpdate().narration[0]!.attachments).toEqual([t.toAttachment()]);
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
