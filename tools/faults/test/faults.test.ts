import { describe, expect, it } from 'vitest';
import { runFaultSuite, type FaultRow } from '../src/run.js';
import { faultTable } from '../src/table.js';

// The short version of `npm run faults`: every kill, with a second of load before and after.
// What is asserted is what must never happen (lost or duplicated data); how long each part took
// to recover is printed, never asserted.

describe('fault suite (short)', () => {
  it('loses and duplicates nothing when each part is killed under load', async () => {
    const rows: FaultRow[] = await runFaultSuite({ loadMs: 1000 });
    console.log(faultTable(rows));
    expect(rows.map((r) => r.fault)).toEqual([
      'scoring-a',
      'jobs',
      'lc-gateway',
      'scheduler-a',
      'runner-a',
      'postgresql',
    ]);
    for (const r of rows) {
      expect(r.acknowledged, `${r.fault}: scores acknowledged`).toBeGreaterThan(0);
      expect({ fault: r.fault, lost: r.lost, duplicated: r.duplicated }).toEqual({
        fault: r.fault,
        lost: 0,
        duplicated: 0,
      });
      expect({ fault: r.fault, jobsLost: r.jobsLost, ticksDoubled: r.ticksDoubled }).toEqual({
        fault: r.fault,
        jobsLost: 0,
        ticksDoubled: 0,
      });
    }
    expect(rows.reduce((n, r) => n + r.jobsAcknowledged, 0)).toBeGreaterThan(0);
  }, 600_000);
});
