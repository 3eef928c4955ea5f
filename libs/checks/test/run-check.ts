import {
  NO_CHECK_SETTINGS,
  type ServiceCheckSettings,
  type HttpSettings,
} from '@checkwire/check-settings';
import { CHECKS, type CheckTarget } from '../src/index.js';

// Runs one built-in check and prints its result as JSON: for tests that must run a check in
// another network namespace (`unshare -n`), e.g. ICMP to hosts that do not answer, or with an
// environment of its own (NODE_EXTRA_CA_CERTS for a verified HTTPS check).
// Usage: tsx test/run-check.ts <protocol> <timeoutMs> <target as JSON>
// The target's `settings` (and their `http`) are merged over NO_CHECK_SETTINGS. The JSON is an
// argument, which any local user can read: give it no credentials that matter.

type TargetJson = Partial<Omit<CheckTarget, 'settings'>> & {
  settings?: Partial<Omit<ServiceCheckSettings, 'http'>> & { http?: Partial<HttpSettings> };
};

const [protocol = '', timeoutMs = '1000', targetJson = '{}'] = process.argv.slice(2);
const check = CHECKS.get(protocol);
if (check === undefined) throw new Error(`no built-in check ${protocol}`);
const { settings, ...given } = JSON.parse(targetJson) as TargetJson;
const target: CheckTarget = {
  host: '',
  port: 0,
  url: '',
  expect: '',
  info: '',
  username: '',
  password: '',
  ...given,
  settings: {
    ...NO_CHECK_SETTINGS,
    ...settings,
    http: { ...NO_CHECK_SETTINGS.http, ...settings?.http },
  },
};
process.stdout.write(JSON.stringify(await check(target, { timeoutMs: Number(timeoutMs) })));
