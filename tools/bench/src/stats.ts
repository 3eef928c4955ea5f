/** Latency samples in milliseconds, and what a benchmark prints from them. */
export class Samples {
  private readonly values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  percentile(p: number): number {
    if (this.values.length === 0) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
    return sorted[Math.max(0, index)] ?? NaN;
  }
}

export interface Figure {
  name: string;
  /** Operations per second. */
  rate: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  extra?: Record<string, number | string>;
}

export function printFigure(f: Figure): void {
  const extra = Object.entries(f.extra ?? {})
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(0) : v}`)
    .join(' ');
  // A figure timed only as a whole (no latency per operation) prints no percentiles.
  const latency = Number.isNaN(f.p50Ms)
    ? ''
    : `p50 ${f.p50Ms.toFixed(2).padStart(7)} ms   p99 ${f.p99Ms.toFixed(2).padStart(7)} ms   `;
  console.log(
    `${f.name.padEnd(34)} ${f.rate.toFixed(0).padStart(9)} ${f.unit.padEnd(14)} ${latency}${extra}`,
  );
}

/**
 * The measured stretches of this run, on the monotonic clock in microseconds (the clock V8's CPU
 * profiles count on, the same in every process), so a profile is read only where it was loaded.
 */
export const MEASURED_WINDOWS: { startUs: number; endUs: number }[] = [];
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Runs `worker` in `concurrency` loops for `seconds` after `warmupSeconds`; each call of
 * `worker` is one operation whose latency is recorded. Returns operations per second.
 */
export async function closedLoop(
  concurrency: number,
  warmupSeconds: number,
  seconds: number,
  worker: (loop: number) => Promise<void>,
): Promise<{ rate: number; samples: Samples }> {
  const samples = new Samples();
  const warmEnd = Date.now() + warmupSeconds * 1000;
  const end = warmEnd + seconds * 1000;
  let measuredStart = 0;
  let operations = 0;
  const window = { startUs: monotonicUs() + warmupSeconds * 1e6, endUs: 0 };
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (;;) {
        const t0 = performance.now();
        if (Date.now() >= end) return;
        await worker(loop);
        const now = Date.now();
        if (now >= warmEnd && now < end) {
          if (measuredStart === 0) measuredStart = warmEnd;
          samples.add(performance.now() - t0);
          operations++;
        }
      }
    }),
  );
  window.endUs = monotonicUs();
  MEASURED_WINDOWS.push(window);
  return { rate: operations / seconds, samples };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
