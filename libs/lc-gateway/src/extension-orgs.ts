import {
  extensionError,
  extensionRegistryName,
  extensionStatus,
  type ExtensionMessage,
  type ExtensionResponseBody,
} from '@checkwire/lc-wire';
import type { ExtensionOrg } from '@checkwire/proto';
import type { RegistryClient } from './callback.js';
import { logged } from './handler-failures.js';
import { JwtRefresher } from './jwt-refresh.js';

/** The events that install and uninstall an org (lc-extension's subscribe / unsubscribe). */
const MEMBERSHIP_EVENTS: ReadonlySet<string> = new Set(['subscribe', 'unsubscribe']);

/**
 * Tells the scheduler's registry which orgs an extension has, under `ext/<name>`
 * (extensionRegistryName; no lcservice route can be named so), and keeps their JWTs fresh:
 * continuations go out with the org's latest JWT rather than the one they were asked for with.
 */
export class ExtensionOrgs {
  private readonly jwts: JwtRefresher;

  constructor(private readonly registry: RegistryClient) {
    this.jwts = new JwtRefresher(registry);
  }

  /**
   * Passes the JWT of a message about an org on (throttled, off the answer's path); not for
   * subscribe, which records its JWT itself, nor unsubscribe, whose JWT is of no more use.
   */
  seen(extensionName: string, m: ExtensionMessage): void {
    if (!('org' in m) || (m.kind === 'event' && MEMBERSHIP_EVENTS.has(m.eventName))) return;
    this.jwts.seen(extensionRegistryName(extensionName), m.org.oid, m.org.jwt);
  }

  /**
   * Records a `subscribe` the extension accepted (200) as an installed org with its JWT, and an
   * `unsubscribe` LimaCharlie will not send again (any answer but 500) as uninstalled. Undefined
   * when done (or nothing to do); a retriable answer when the registry could not be told, so
   * LimaCharlie sends the event again.
   */
  async record(
    extensionName: string,
    eventName: string,
    org: ExtensionOrg,
    answer: ExtensionResponseBody,
    deadlineAt: number,
  ): Promise<ExtensionResponseBody | undefined> {
    if (!MEMBERSHIP_EVENTS.has(eventName)) return undefined;
    const subscribe = eventName === 'subscribe';
    const status = extensionStatus(answer);
    if (subscribe ? status !== 200 : status === 500) return undefined;
    const serviceName = extensionRegistryName(extensionName);
    const options = { deadlineMs: Math.max(1000, deadlineAt - Date.now()) };
    try {
      if (subscribe) {
        await this.registry.recordOrgInstalled(
          { serviceName, oid: org.oid, jwt: org.jwt },
          options,
        );
      } else {
        await this.registry.recordOrgUninstalled({ serviceName, oid: org.oid }, options);
      }
      return undefined;
    } catch (err) {
      const id = logged(
        `the scheduler did not record ${eventName} of ${serviceName}/${org.oid}`,
        err,
      );
      return extensionError(`the scheduler could not record ${eventName} (error id ${id})`);
    }
  }
}
