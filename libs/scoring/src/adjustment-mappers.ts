import type { AdjustmentRow, AuditLogRow } from '@checkwire/db';
import type { AuditEntry, PointAdjustment } from '@checkwire/proto';

// Adjustment and audit rows as protobuf messages. Only the edge uses these.

export function adjustmentToProto(a: AdjustmentRow): PointAdjustment {
  return {
    id: a.id,
    teamId: a.team_id,
    points: a.points,
    reason: a.reason,
    auditId: a.audit_id,
    createTime: a.created_at,
  };
}

const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

export function auditToProto(e: AuditLogRow): AuditEntry {
  return {
    id: e.id,
    time: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    reason: e.reason,
    beforeJson: json(e.before),
    afterJson: json(e.after),
  };
}
