import { definePolicy } from '@checkwire/auth';
import type { AdjustmentServiceServer } from '@checkwire/proto';
import { ADMIN_ONLY } from './roles.js';

/** Who may call each AdjustmentService RPC: the white team. */
export const ADJUSTMENT_POLICY = definePolicy<AdjustmentServiceServer>('AdjustmentService', {
  adjustPoints: ADMIN_ONLY,
  flipCheckResult: ADMIN_ONLY,
  rescoreRound: ADMIN_ONLY,
  listAuditLog: ADMIN_ONLY,
});
