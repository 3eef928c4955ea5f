/** One line of a scrape: `name{label="value",…} value`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Label values as Prometheus' text format escapes them: \\, \" and \n. */
function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/**
 * A `/metrics` answer in Prometheus' text format (0.0.4), parsed: its families (`# TYPE`), their
 * units (`# UNIT`) and samples. Throws on a line it cannot read, so a malformed scrape fails.
 */
export class PromScrape {
  readonly samples: PromSample[] = [];
  /** Family name → type (counter, gauge, histogram…). */
  readonly types = new Map<string, string>();
  /** Family name → unit, for the families that declare one. */
  readonly units = new Map<string, string>();

  constructor(readonly text: string) {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const meta = /^# (TYPE|UNIT|HELP) (\S+)(?: (.*))?$/.exec(line);
      if (meta !== null) {
        if (meta[1] === 'TYPE') this.types.set(meta[2]!, meta[3] ?? '');
        if (meta[1] === 'UNIT') this.units.set(meta[2]!, meta[3] ?? '');
        continue;
      }
      if (line.startsWith('#')) continue;
      const m = SAMPLE.exec(line);
      if (m === null) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (m[2] ?? '').matchAll(LABEL)) labels[key!] = unescape(value!);
      this.samples.push({ name: m[1]!, labels, value: parseValue(m[3]!) });
    }
  }

  /** Every sample name, families' suffixed series included (`x_bucket`, `x_count`, `x_total`). */
  get names(): Set<string> {
    return new Set(this.samples.map((s) => s.name));
  }

  /** Samples named `name` whose labels include every one of `labels`. */
  find(name: string, labels: Record<string, string> = {}): PromSample[] {
    return this.samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  }

  /** The sum of `find(name, labels)`'s values (0 when there is none). */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.find(name, labels).reduce((n, s) => n + s.value, 0);
  }
}

/** GETs `url` (an app's `/metrics`) and parses it; fails on any status but 200. */
export async function scrapeMetrics(url: string): Promise<PromScrape> {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text}`);
  return new PromScrape(text);
}

/**
 * Scrapes `url` until `holds` is true of a scrape (at most `ms`), and returns that scrape: for
 * counts that a process records after the event the test saw (a check's score lands before the
 * runner counts it).
 */
export async function scrapeUntil(
  url: string,
  holds: (scrape: PromScrape) => boolean,
  ms = 15_000,
): Promise<PromScrape> {
  const end = Date.now() + ms;
  for (;;) {
    const scrape = await scrapeMetrics(url);
    if (holds(scrape)) return scrape;
    if (Date.now() > end) {
      throw new Error(`${url}: condition not met in ${ms} ms; last scrape:\n${scrape.text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
