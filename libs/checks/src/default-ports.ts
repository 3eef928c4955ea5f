/**
 * The port each built-in check uses when the service sets none (0): one source, read by the
 * checks and exported for whoever shows or documents a service. tcp, tcp-expect and icmp have
 * none (tcp-expect needs a port; icmp has no ports); http/https take the url's.
 */
export const DEFAULT_PORTS = Object.freeze({
  dns: 53,
  ftp: 21,
  imap: 143,
  irc: 6667,
  ldap: 389,
  ldaps: 636,
  mqtt: 1883,
  mysql: 3306,
  ntp: 123,
  pop3: 110,
  postgres: 5432,
  rdp: 3389,
  redis: 6379,
  smb: 445,
  smtp: 25,
  sftp: 22,
  snmp: 161,
  ssh: 22,
  'ssh-command': 22,
  tftp: 69,
  vnc: 5900,
  winrm: 5985,
  'winrm-https': 5986,
} as const);

const BY_PROTOCOL: ReadonlyMap<string, number> = new Map([
  ...Object.entries(DEFAULT_PORTS),
  ['postgresql', DEFAULT_PORTS.postgres],
]);

/** The default port of a check by its protocol (any case), if it has one. */
export function defaultPort(protocol: string): number | undefined {
  return BY_PROTOCOL.get(protocol.toLowerCase());
}
