import { parseArgs } from 'node:util';
import { runFaultSuite } from './run.js';
import { faultTable } from './table.js';

// `npm run faults [-- --load-ms N] [--echo]`: the fault suite (see README.md).
const { values } = parseArgs({
  options: { 'load-ms': { type: 'string', default: '4000' }, echo: { type: 'boolean' } },
});
const loadMs = Number(values['load-ms']);
if (!Number.isInteger(loadMs) || loadMs < 100) {
  console.error('faults: --load-ms must be an integer of 100 or more');
  process.exit(2);
}
console.log(`faults: starting the stack; ${loadMs} ms of load before each kill and after recovery`);
const rows = await runFaultSuite({
  loadMs,
  echo: values.echo === true,
  onFault: (name, ms) =>
    console.log(`faults: ${name} killed, serving again after ${(ms / 1000).toFixed(1)} s`),
});
console.log(faultTable(rows));
const bad = rows.filter((r) => r.lost + r.duplicated + r.jobsLost + r.ticksDoubled > 0);
if (bad.length > 0) {
  console.error(`faults: lost or duplicated data after: ${bad.map((r) => r.fault).join(', ')}`);
  process.exit(1);
}
