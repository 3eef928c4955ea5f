import { randomUUID } from 'node:crypto';
import { rootInvestigationId } from '@checkwire/lc-wire';

export interface SensorReply {
  serviceName: string;
  investigationId: string;
  oid: string;
  sid: string;
  eventType: string;
  /** The sensor's event (what LimaCharlie reports as the detection's `detect.event`). */
  event: Record<string, unknown>;
}

/**
 * The `data` of the `detection` LimaCharlie sends when a sensor answers a task of an
 * InteractiveService: the D&R rule `svc-<service>-ex` (namespace `replicant`) reports the reply
 * event as `__svc-<service>-ex`. The gateway reads `detect.routing.investigation_id` and hands
 * `detect` to the reply callback (lcservice's `event`). Only these fields are sent: the category
 * (`cat`), the detection's id and the routing at the top as well; LimaCharlie adds more.
 */
export function replyDetection(reply: SensorReply, now = Date.now()): Record<string, unknown> {
  const routing = {
    oid: reply.oid,
    sid: reply.sid,
    event_type: reply.eventType,
    event_time: now,
    event_id: randomUUID(),
    investigation_id: reply.investigationId,
  };
  const rule = rootInvestigationId(reply.serviceName);
  return {
    cat: `__${rule}`,
    detect: { event: reply.event, routing },
    detect_id: randomUUID(),
    routing,
  };
}
