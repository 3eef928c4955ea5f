import { definePolicy } from '@checkwire/auth';
import type { CompetitionServiceServer } from '@checkwire/proto';
import { ADMIN_ONLY } from './roles.js';

/** Who may call each CompetitionService RPC: the white team (an export holds every secret). */
export const COMPETITION_POLICY = definePolicy<CompetitionServiceServer>('CompetitionService', {
  applyCompetition: ADMIN_ONLY,
  exportCompetition: ADMIN_ONLY,
});
