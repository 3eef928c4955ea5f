import { definePolicy } from '@checkwire/auth';
import type { ScoringServiceServer } from '@checkwire/proto';
import { SCORERS } from './roles.js';

/** Who may call each ScoringService RPC. */
export const SCORING_POLICY = definePolicy<ScoringServiceServer>(
  'ScoringService',
  {
    insertServiceScoreInProgress: SCORERS,
    insertServiceScore: SCORERS,
    insertServiceScoreDone: SCORERS,
    reportServiceError: SCORERS,
    insertServiceScores: SCORERS,
    startServiceChecks: SCORERS,
    finishServiceChecks: [...SCORERS, 'scheduler'],
  },
  {
    finishServiceChecks:
      'scheduler: give-ups only (result 0, no run); a limited check_runner: its services only',
  },
);
