import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { scrapeMetrics } from '@checkwire/testing';
import {
  counter,
  histogram,
  metricsRecording,
  observableGauge,
  observeQueue,
  startMetrics,
  upDownCounter,
  type MetricsEndpoint,
} from '../src/index.js';

// Made at module level, as the libs make theirs: before any endpoint exists.
const widgets = counter('test.widgets', { description: 'Widgets made', unit: '{widget}' });
const open = upDownCounter('test.open', { description: 'Open things' });
const took = histogram('test.duration', {
  description: 'How long',
  unit: 's',
  advice: { explicitBucketBoundaries: [0.1, 1] },
});
const depth = observableGauge('test.depth', { description: 'Depth' });

const listen = (port = 0) => ({
  host: '127.0.0.1',
  port,
  hostVar: 'TEST_METRICS_HOST',
  portVar: 'TEST_METRICS_PORT',
});

let endpoint: MetricsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.shutdown();
  endpoint = undefined;
});

describe('the metrics endpoint', () => {
  it('keeps nothing while off, then what is measured before the SDK loads, then the rest', async () => {
    expect(metricsRecording()).toBe(false);
    widgets.add(100, { colour: 'red' }); // nowhere: no endpoint yet
    const off = await startMetrics({ app: 'test', listen: undefined });
    expect(off.url).toBeUndefined();
    expect(metricsRecording()).toBe(false);

    endpoint = await startMetrics({ app: 'test', listen: listen(), env: {} });
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(metricsRecording()).toBe(true);
    widgets.add(2, { colour: 'red' }); // kept while the SDK loads
    open.add(3);
    took.record(0.05, { step: 'a' });
    endpoint.load();
    const first = await scrapeMetrics(endpoint.url!);
    widgets.add(1, { colour: 'red' });
    widgets.add(4, { colour: 'blue' });
    open.add(-1);
    took.record(0.5, { step: 'a' });
    took.record(5, { step: 'a' });
    const later = histogram('test.later', { unit: 's' }); // made after the SDK loaded
    later.record(1);
    const scrape = await scrapeMetrics(endpoint.url!);

    expect(first.sum('test_widgets_total', { colour: 'red' })).toBe(2);
    expect(scrape.find('test_widgets_total')).toEqual([
      { name: 'test_widgets_total', labels: { colour: 'red', checkwire_app: 'test' }, value: 3 },
      { name: 'test_widgets_total', labels: { colour: 'blue', checkwire_app: 'test' }, value: 4 },
    ]);
    expect(scrape.types.get('test_widgets_total')).toBe('counter');
    expect(scrape.sum('test_open')).toBe(2);
    expect(scrape.types.get('test_open')).toBe('gauge');
    expect(scrape.types.get('test_duration')).toBe('histogram');
    expect(scrape.units.get('test_duration')).toBe('s');
    const buckets = scrape
      .find('test_duration_bucket', { step: 'a' })
      .map((s) => [s.labels.le, s.value]);
    expect(buckets).toEqual([
      ['0.1', 1],
      ['1', 2],
      ['+Inf', 3],
    ]);
    expect(scrape.sum('test_duration_count', { step: 'a' })).toBe(3);
    expect(scrape.sum('test_duration_sum', { step: 'a' })).toBeCloseTo(5.55);
    expect(scrape.sum('test_later_count')).toBe(1);
    expect(scrape.find('target_info')[0]!.labels).toMatchObject({
      service_name: 'checkwire',
      checkwire_app: 'test',
    });
  });

  it('reads observable gauges at each scrape, from the callbacks still registered', async () => {
    let value = 1;
    let reads = 0;
    const read = (r: { observe(v: number, a?: Record<string, string>): void }) => {
      reads++;
      r.observe(value, { queue: 'q' });
    };
    depth.addCallback(read); // before the endpoint: kept until it is up
    endpoint = await startMetrics({ app: 'test', listen: listen(), env: {} });
    expect(reads).toBe(0);
    expect((await scrapeMetrics(endpoint.url!)).sum('test_depth', { queue: 'q' })).toBe(1);
    value = 7;
    expect((await scrapeMetrics(endpoint.url!)).sum('test_depth', { queue: 'q' })).toBe(7);
    expect(reads).toBe(2);
    depth.removeCallback(read);
    await scrapeMetrics(endpoint.url!);
    expect(reads).toBe(2);
  });

  it('observes a queue with one read per scrape, and nothing when the read fails', async () => {
    let reads = 0;
    let failing = false;
    const stop = observeQueue('test_queue', () => {
      reads++;
      return failing
        ? Promise.reject(new Error('database away'))
        : Promise.resolve({ ready: 4, leased: 2, scheduled: 1, lagSeconds: 1.5 });
    });
    try {
      endpoint = await startMetrics({ app: 'test', listen: listen(), env: {} });
      const s = await scrapeMetrics(endpoint.url!);
      expect(reads).toBe(1);
      const depthOf = (state: string) =>
        s.sum('checkwire_queue_depth', {
          checkwire_queue: 'test_queue',
          checkwire_queue_state: state,
        });
      expect([depthOf('ready'), depthOf('leased'), depthOf('scheduled')]).toEqual([4, 2, 1]);
      expect(s.sum('checkwire_queue_lag', { checkwire_queue: 'test_queue' })).toBe(1.5);
      expect(s.units.get('checkwire_queue_lag')).toBe('s');
      failing = true;
      const after = await scrapeMetrics(endpoint.url!); // answers, with the values observed last
      expect(reads).toBe(2);
      expect(
        after.sum('checkwire_queue_depth', {
          checkwire_queue: 'test_queue',
          checkwire_queue_state: 'ready',
        }),
      ).toBe(4);
    } finally {
      stop();
    }
  });

  it('answers only GET /metrics', async () => {
    endpoint = await startMetrics({ app: 'test', listen: listen(), env: {} });
    const base = endpoint.url!.replace(/\/metrics$/, '');
    const other = await fetch(`${base}/other`);
    expect([other.status, await other.text()]).toEqual([404, 'metrics are at /metrics\n']);
    const post = await fetch(endpoint.url!, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const ok = await fetch(`${endpoint.url!}?x=1`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain');
  });

  it('refuses a port in use in one line naming its variable, and serves once per process', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as AddressInfo;
    try {
      await expect(startMetrics({ app: 'test', listen: listen(port) })).rejects.toThrow(
        `TEST_METRICS_PORT: ${port} is in use by another program; set it to a free port (0 picks one)`,
      );
      expect(metricsRecording()).toBe(false);
    } finally {
      busy.close();
    }
    endpoint = await startMetrics({ app: 'test', listen: listen(), env: {} });
    await expect(startMetrics({ app: 'test', listen: listen() })).rejects.toThrow(
      'metrics are served already in this process',
    );
  });

  it('stops serving and measuring on shutdown', async () => {
    endpoint = await startMetrics({ app: 'test', listen: listen(), env: {} });
    const url = endpoint.url!;
    endpoint.load();
    widgets.add(1, { colour: 'green' });
    expect((await scrapeMetrics(url)).sum('test_widgets_total', { colour: 'green' })).toBe(1);
    await endpoint.shutdown();
    endpoint = undefined;
    expect(metricsRecording()).toBe(false);
    await expect(fetch(url)).rejects.toThrow();
    widgets.add(1, { colour: 'green' }); // a no-op again
    endpoint = await startMetrics({ app: 'test', listen: listen(), env: {} });
    widgets.add(5, { colour: 'green' });
    // A new SDK: counting starts again from what this endpoint kept.
    expect(
      (await scrapeMetrics(endpoint.url!)).sum('test_widgets_total', { colour: 'green' }),
    ).toBe(5);
  });
});
