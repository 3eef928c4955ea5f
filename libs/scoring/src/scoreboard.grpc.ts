import { unary, type ServiceBinding } from '@checkwire/grpc';
import { ScoreboardServiceService, type ScoreboardServiceServer } from '@checkwire/proto';
import type { Access } from './access.js';
import { adjustmentToProto } from './adjustment-mappers.js';
import { SCOREBOARD_POLICY } from './scoreboard.policy.js';
import type { ScoreboardQueries } from './scoreboard.service.js';

/** gRPC edge of checkwire.scoring.v1.ScoreboardService. */
export function scoreboardServiceBinding(
  scoreboard: ScoreboardQueries,
  access: Access,
): ServiceBinding {
  const implementation: ScoreboardServiceServer = {
    getScoreboard: unary(
      access.unary(SCOREBOARD_POLICY, 'getScoreboard', async (req, _context, principal) => {
        const board = await scoreboard.get(principal, req.recentRounds);
        return {
          ...board,
          teams: board.teams.map((t) => ({
            ...t,
            adjustments: t.adjustments.map(adjustmentToProto),
          })),
        };
      }),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.ScoreboardService',
    definition: ScoreboardServiceService,
    implementation,
  };
}
