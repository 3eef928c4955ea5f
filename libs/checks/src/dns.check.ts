import { Resolver } from 'node:dns/promises';
import { down, fromNetworkError, up, withTimeout, type Check } from './check.js';
import { DEFAULT_PORTS } from './default-ports.js';

/**
 * Asks the service (a DNS server) for the A records of `info` (the name); up when it answers,
 * and, when `expect` is set, when that address is among the answers.
 */
export const dnsCheck: Check = async (t, { timeoutMs }) => {
  const name = t.info === '' ? 'localhost' : t.info;
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([
    `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port === 0 ? DEFAULT_PORTS.dns : t.port}`,
  ]);
  try {
    const answers = await withTimeout(resolver.resolve4(name), timeoutMs, () => resolver.cancel());
    if (t.expect !== '' && !answers.includes(t.expect)) {
      return down('content', `${name} resolved to ${answers.join(', ')}, not ${t.expect}`);
    }
    return up(`${name} → ${answers.join(', ')}`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA')
      return down('content', `${name}: no answer (${code})`);
    if (code === 'ECANCELLED' || code === 'ETIMEOUT')
      return down('timeout', `dns ${t.host}: timed out`);
    if (code === 'ECONNREFUSED') return down('connection', `dns ${t.host}: refused`);
    return fromNetworkError(err, `dns ${t.host}`);
  }
};
