import { definePolicy } from '@checkwire/auth';
import type { ScoreboardServiceServer } from '@checkwire/proto';
import { ANYONE } from './roles.js';

/** Who may call each ScoreboardService RPC: everyone, spectators included. */
export const SCOREBOARD_POLICY = definePolicy<ScoreboardServiceServer>(
  'ScoreboardService',
  { getScoreboard: ANYONE, watchScoreboard: ANYONE },
  {
    getScoreboard: "every team's totals; per service, what the caller may see",
    watchScoreboard: 'the same, again whenever it changes',
  },
);
