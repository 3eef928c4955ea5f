import { definePolicy } from '@checkwire/auth';
import type { StatusServiceServer } from '@checkwire/proto';
import { ADMIN_ONLY, ANYONE } from './roles.js';

/** Who may call each StatusService RPC. */
export const STATUS_POLICY = definePolicy<StatusServiceServer>(
  'StatusService',
  {
    listScores: ANYONE,
    listServiceErrors: ADMIN_ONLY,
    listServiceStatus: ANYONE,
    watchServiceStatus: ANYONE,
  },
  {
    listScores: 'filtered by visibility; error texts for admin only',
    listServiceStatus: 'filtered by visibility; error texts for admin only',
    watchServiceStatus: 'filtered by visibility; error texts for admin only',
  },
);
