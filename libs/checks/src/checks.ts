import {
  down,
  type Check,
  type CheckResult,
  type CheckTarget,
  type CheckOptions,
} from './check.js';
import { applyContentRules } from './content-rules.js';
import { dnsCheck } from './dns.check.js';
import { httpCheck } from './http.check.js';
import { icmpCheck } from './icmp.check.js';
import { ircCheck } from './irc.check.js';
import { ldapCheck, ldapsCheck } from './ldap.check.js';
import { ftpCheck, imapCheck, pop3Check, smtpCheck } from './mail.check.js';
import { mqttCheck } from './mqtt.check.js';
import { ntpCheck } from './ntp.check.js';
import { rdpCheck } from './rdp.check.js';
import { redisCheck } from './redis.check.js';
import { sftpCheck } from './sftp.check.js';
import { smbCheck } from './smb.check.js';
import { snmpCheck } from './snmp.check.js';
import { mysqlCheck, postgresCheck } from './sql.check.js';
import { sshCheck } from './ssh.check.js';
import { sshCommandCheck } from './ssh-command.check.js';
import { tcpExpectCheck } from './tcp-expect.check.js';
import { tcpCheck } from './tcp.check.js';
import { tftpCheck } from './tftp.check.js';
import { vncCheck } from './vnc.check.js';
import { winrmCheck } from './winrm.check.js';

/**
 * Built-in checks, by the service's protocol (or subtype), lower case. A Map: the key is outside
 * input, and an object would answer "constructor" or "__proto__" with Object.prototype's members.
 */
export const CHECKS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['tcp', tcpCheck],
  ['http', httpCheck('http')],
  ['https', httpCheck('https')],
  ['dns', dnsCheck],
  ['ssh', sshCheck],
  ['ftp', ftpCheck],
  ['smtp', smtpCheck],
  ['imap', imapCheck],
  ['pop3', pop3Check],
  ['mysql', mysqlCheck],
  ['postgres', postgresCheck],
  ['postgresql', postgresCheck],
  // Infrastructure checks (issue 14); default ports in DEFAULT_PORTS (src/default-ports.ts).
  ['redis', redisCheck],
  ['tcp-expect', tcpExpectCheck], // no default: the service names its port
  ['mqtt', mqttCheck],
  ['irc', ircCheck],
  ['ntp', ntpCheck],
  ['tftp', tftpCheck],
  ['snmp', snmpCheck],
  ['vnc', vncCheck],
  ['icmp', icmpCheck], // no ports
  ['ping', icmpCheck],
  // Directory, file-share and remote-login checks (issue 14).
  ['ssh-command', sshCommandCheck],
  ['sftp', sftpCheck],
  ['ldap', ldapCheck],
  ['ldaps', ldapsCheck],
  ['smb', smbCheck],
  ['rdp', rdpCheck],
  ['winrm', winrmCheck('http')],
  ['winrm-https', winrmCheck('https')],
]);

/** The check for a service: its protocol if known, else its subtype. */
export function checkFor(protocol: string, subtype: string): Check | undefined {
  return CHECKS.get(protocol.toLowerCase()) ?? CHECKS.get(subtype.toLowerCase());
}

/** Runs the right check; a service without one fails with kind "other". */
export async function runCheck(
  protocol: string,
  subtype: string,
  target: CheckTarget,
  options: CheckOptions,
): Promise<CheckResult> {
  const check = checkFor(protocol, subtype);
  if (check === undefined) {
    return down('other', `no built-in check for protocol "${protocol}" / subtype "${subtype}"`);
  }
  const name = CHECKS.has(protocol.toLowerCase()) ? protocol.toLowerCase() : subtype.toLowerCase();
  return applyContentRules(await check(target, options), target.settings, name);
}

/** The host a service's url names (a bare host, or the host of a URL). */
export function hostOf(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return new URL(url).hostname.replace(/^\[|\]$/g, '');
  return url.replace(/\/.*$/, '').replace(/:\d+$/, '');
}
