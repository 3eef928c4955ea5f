import type { FaultRow } from './run.js';

const COLUMNS: [string, (r: FaultRow) => string][] = [
  ['fault (SIGKILL)', (r) => r.fault],
  ['recover s', (r) => (r.recoverMs / 1000).toFixed(1)],
  ['acknowledged', (r) => String(r.acknowledged)],
  ['found', (r) => String(r.found)],
  ['lost', (r) => String(r.lost)],
  ['duplicated', (r) => String(r.duplicated)],
  ['job entries', (r) => String(r.jobsAcknowledged)],
  ['jobs lost', (r) => String(r.jobsLost)],
  ['jobs sent twice', (r) => String(r.jobsDuplicated)],
  ['rounds', (r) => String(r.rounds)],
  ['ticks doubled', (r) => String(r.ticksDoubled)],
];

/** The fault table, as a Markdown table (readable in a terminal, pasteable in a README). */
export function faultTable(rows: FaultRow[]): string {
  const cells = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(cells[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.slice(1).map(line),
  ].join('\n');
}
