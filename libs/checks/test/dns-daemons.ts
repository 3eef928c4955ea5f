import { freePort, waitForPort } from './daemons.js';
import { run, scratch } from './service-daemons.js';

// Unbound (Debian's unbound), the real DNS server the dns check is tested against: started in the
// foreground from a scratch folder on a free loopback port (UDP and TCP), answering from
// local-data only and refusing every name outside its zones (it never asks the network).

/** Records of one name, as unbound's `local-data` takes them ("www.team7.test. A 10.7.0.80"). */
export async function startUnbound(records: readonly string[]) {
  const s = scratch('unbound');
  const port = await freePort();
  const conf = s.file(
    'unbound.conf',
    `server:
  interface: 127.0.0.1@${port}
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${s.dir}"
  pidfile: ""
  use-syslog: no
  logfile: "${s.dir}/unbound.log"
  num-threads: 1
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  # Answers in the order written (no rotation), so a test can name them.
  rrset-roundrobin: no
  local-zone: "." refuse
  local-zone: "team7.test." static
${records.map((r) => `  local-data: '${r}'`).join('\n')}
remote-control:
  control-enable: no
`,
  );
  // unbound opens its UDP and TCP sockets together: a TCP connection means both are bound.
  return run(
    '/usr/sbin/unbound',
    'unbound',
    ['-d', '-c', conf],
    s.dir,
    () => waitForPort(port, 10_000),
    { dns: port },
  );
}
