import { NO_CHECK_SETTINGS } from '@checkwire/check-settings';
import { CHECKS, type CheckTarget } from '../src/index.js';

// Runs one built-in check and prints its result as JSON: for tests that must run a check in
// another network namespace (`unshare -n`), e.g. ICMP to hosts that do not answer.
// Usage: tsx test/run-check.ts <protocol> <timeoutMs> <target as JSON>

const [protocol = '', timeoutMs = '1000', targetJson = '{}'] = process.argv.slice(2);
const check = CHECKS.get(protocol);
if (check === undefined) throw new Error(`no built-in check ${protocol}`);
const target: CheckTarget = {
  host: '',
  port: 0,
  url: '',
  expect: '',
  info: '',
  username: '',
  password: '',
  settings: NO_CHECK_SETTINGS,
  ...(JSON.parse(targetJson) as Partial<CheckTarget>),
};
process.stdout.write(JSON.stringify(await check(target, { timeoutMs: Number(timeoutMs) })));
