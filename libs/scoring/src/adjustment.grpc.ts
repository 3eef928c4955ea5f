import { unary, type ServiceBinding } from '@checkwire/grpc';
import { AdjustmentServiceService, type AdjustmentServiceServer } from '@checkwire/proto';
import type { Access } from './access.js';
import { adjustmentToProto, auditToProto } from './adjustment-mappers.js';
import { ADJUSTMENT_POLICY } from './adjustment.policy.js';
import type { Adjustments } from './adjustment.service.js';

/** gRPC edge of checkwire.scoring.v1.AdjustmentService (admin only). */
export function adjustmentServiceBinding(adjustments: Adjustments, access: Access): ServiceBinding {
  const implementation: AdjustmentServiceServer = {
    adjustPoints: unary(
      access.unary(ADJUSTMENT_POLICY, 'adjustPoints', async (req, _context, p) => {
        const { adjustment, audit } = await adjustments.adjustPoints(
          p,
          req.teamId,
          req.points,
          req.reason,
        );
        return { adjustment: adjustmentToProto(adjustment), audit: auditToProto(audit) };
      }),
    ),
    flipCheckResult: unary(
      access.unary(ADJUSTMENT_POLICY, 'flipCheckResult', async (req, _context, p) => {
        const flipped = await adjustments.flipCheckResult(
          p,
          req.serviceId,
          req.roundTime,
          req.reason,
        );
        return { up: flipped.up, points: flipped.points, audit: auditToProto(flipped.audit) };
      }),
    ),
    rescoreRound: unary(
      access.unary(ADJUSTMENT_POLICY, 'rescoreRound', async (req, _context, p) => {
        const done = await adjustments.rescoreRound(p, req.roundTime, req.reason);
        return {
          services: done.services,
          changed: done.changed.map((t) => ({
            teamId: t.teamId,
            pointsBefore: t.before,
            pointsAfter: t.after,
          })),
          audit: auditToProto(done.audit),
        };
      }),
    ),
    listAuditLog: unary(
      access.unary(ADJUSTMENT_POLICY, 'listAuditLog', async (req) => {
        const { entries, next } = await adjustments.listAuditLog(req.pageSize, req.pageToken);
        return { entries: entries.map(auditToProto), nextPageToken: next };
      }),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.AdjustmentService',
    definition: AdjustmentServiceService,
    implementation,
  };
}
