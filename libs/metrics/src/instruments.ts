// Types only: the OpenTelemetry API and SDK are loaded when the endpoint is (see sdk.ts), so an
// app that imports an instrument pays nothing at start.
import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  MetricOptions,
  ObservableCallback,
  ObservableGauge,
  UpDownCounter,
} from '@opentelemetry/api';

/**
 * Where measurements go. `off`: nowhere (no endpoint: every instrument is a no-op). `buffered`:
 * the endpoint is up but the SDK is still loading: measurements are kept and replayed into it.
 * `live`: each instrument forwards to its SDK instrument.
 */
type Mode = 'off' | 'buffered' | 'live';

let mode: Mode = 'off';

/** Measurements taken while the SDK loads, replayed once it has (at most MAX_BUFFERED). */
const buffered: (() => void)[] = [];
const MAX_BUFFERED = 100_000;
let dropped = 0;

function keep(replay: () => void): void {
  if (buffered.length < MAX_BUFFERED) buffered.push(replay);
  else dropped++;
}

/** Every instrument made, bound to the SDK's meter when it is loaded (in any order). */
const instruments: LazyInstrument[] = [];
let meterInUse: Meter | undefined;

interface LazyInstrument {
  bind(meter: Meter): void;
  unbind(): void;
}

/**
 * Whether measurements are kept: false while no endpoint serves them. For hot paths that would
 * do work (read the clock, build attributes) only to record it.
 */
export function metricsRecording(): boolean {
  return mode !== 'off';
}

class LazyCounter implements Counter, UpDownCounter, LazyInstrument {
  private live: Counter | undefined;

  constructor(
    private readonly name: string,
    private readonly options: MetricOptions,
    private readonly upDown: boolean,
  ) {}

  add(value: number, attributes?: Attributes): void {
    if (this.live !== undefined) this.live.add(value, attributes);
    else if (mode === 'buffered') keep(() => this.live?.add(value, attributes));
  }

  bind(meter: Meter): void {
    this.live = this.upDown
      ? meter.createUpDownCounter(this.name, this.options)
      : meter.createCounter(this.name, this.options);
  }

  unbind(): void {
    this.live = undefined;
  }
}

class LazyHistogram implements Histogram, LazyInstrument {
  private live: Histogram | undefined;

  constructor(
    private readonly name: string,
    private readonly options: MetricOptions,
  ) {}

  record(value: number, attributes?: Attributes): void {
    if (this.live !== undefined) this.live.record(value, attributes);
    else if (mode === 'buffered') keep(() => this.live?.record(value, attributes));
  }

  bind(meter: Meter): void {
    this.live = meter.createHistogram(this.name, this.options);
  }

  unbind(): void {
    this.live = undefined;
  }
}

class LazyObservableGauge implements ObservableGauge, LazyInstrument {
  private live: ObservableGauge | undefined;
  private readonly callbacks = new Set<ObservableCallback>();

  constructor(
    private readonly name: string,
    private readonly options: MetricOptions,
  ) {}

  addCallback(callback: ObservableCallback): void {
    this.callbacks.add(callback);
    this.live?.addCallback(callback);
  }

  removeCallback(callback: ObservableCallback): void {
    this.callbacks.delete(callback);
    this.live?.removeCallback(callback);
  }

  bind(meter: Meter): void {
    this.live = meter.createObservableGauge(this.name, this.options);
    for (const callback of this.callbacks) this.live.addCallback(callback);
  }

  unbind(): void {
    this.live = undefined;
  }
}

function register<T extends LazyInstrument>(instrument: T): T {
  instruments.push(instrument);
  if (meterInUse !== undefined) instrument.bind(meterInUse);
  return instrument;
}

/**
 * A counter (OpenTelemetry API) that works before the SDK is loaded: make it at module level,
 * beside the code that counts. Prometheus shows it as `<name with _>_total`.
 */
export function counter(name: string, options: MetricOptions = {}): Counter {
  return register(new LazyCounter(name, options, false));
}

/** An up-down counter (something in progress: open streams), as `counter`. */
export function upDownCounter(name: string, options: MetricOptions = {}): UpDownCounter {
  return register(new LazyCounter(name, options, true));
}

/**
 * A histogram, as `counter`. Give `advice.explicitBucketBoundaries` in the instrument's unit:
 * the SDK's default buckets (0 to 10,000) suit milliseconds, not seconds.
 */
export function histogram(name: string, options: MetricOptions = {}): Histogram {
  return register(new LazyHistogram(name, options));
}

/**
 * An observable gauge, read at each scrape from its callbacks (a pool's connections, a queue's
 * depth). Callbacks may be added before the SDK is loaded; remove them when what they read
 * closes. They are never called while no endpoint serves them.
 */
export function observableGauge(name: string, options: MetricOptions = {}): ObservableGauge {
  return register(new LazyObservableGauge(name, options));
}

/** From now on measurements are kept until `bindInstruments` (the endpoint is up). */
export function bufferMeasurements(): void {
  if (mode === 'off') mode = 'buffered';
}

/**
 * Binds every instrument, made or to be made, to the SDK's meter, and replays what was measured
 * meanwhile. Returns how many measurements were dropped for want of room while it loaded.
 */
export function bindInstruments(meter: Meter): number {
  meterInUse = meter;
  for (const instrument of instruments) instrument.bind(meter);
  mode = 'live';
  for (const replay of buffered.splice(0)) replay();
  const lost = dropped;
  dropped = 0;
  return lost;
}

/** Back to no-ops (the endpoint stopped): nothing more is kept. */
export function unbindInstruments(): void {
  meterInUse = undefined;
  mode = 'off';
  buffered.length = 0;
  dropped = 0;
  for (const instrument of instruments) instrument.unbind();
}
