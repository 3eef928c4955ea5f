import { serverStream, unary, type ServiceBinding } from '@checkwire/grpc';
import {
  RoundStatus,
  ScoreboardServiceService,
  type GetScoreboardResponse,
  type ScoreboardServiceServer,
  type WatchScoreboardResponse,
} from '@checkwire/proto';
import type { RoundStatus as RoundStatusName } from '@checkwire/db';
import type { Access } from './access.js';
import { adjustmentToProto } from './adjustment-mappers.js';
import type { ScoreboardFeed } from './scoreboard-feed.js';
import { SCOREBOARD_POLICY } from './scoreboard.policy.js';
import type { Scoreboard, ScoreboardQueries } from './scoreboard.service.js';

const STATUS_TO_PROTO: Record<RoundStatusName, RoundStatus> = {
  up: RoundStatus.ROUND_STATUS_UP,
  partial: RoundStatus.ROUND_STATUS_PARTIAL,
  down: RoundStatus.ROUND_STATUS_DOWN,
  error: RoundStatus.ROUND_STATUS_ERROR,
};

function scoreboardToProto(board: Scoreboard): GetScoreboardResponse {
  return {
    ...board,
    teams: board.teams.map((t) => ({
      ...t,
      adjustments: t.adjustments.map(adjustmentToProto),
      services: t.services.map((s) => ({
        ...s,
        lastStatus:
          s.lastStatus === undefined
            ? RoundStatus.ROUND_STATUS_UNSPECIFIED
            : STATUS_TO_PROTO[s.lastStatus],
      })),
    })),
  };
}

async function* watchResponses(
  boards: AsyncIterable<Scoreboard>,
): AsyncGenerator<WatchScoreboardResponse> {
  for await (const board of boards) yield { scoreboard: scoreboardToProto(board) };
}

/** gRPC edge of checkwire.scoring.v1.ScoreboardService. */
export function scoreboardServiceBinding(
  scoreboard: ScoreboardQueries,
  feed: ScoreboardFeed,
  access: Access,
): ServiceBinding {
  const implementation: ScoreboardServiceServer = {
    getScoreboard: unary(
      access.unary(SCOREBOARD_POLICY, 'getScoreboard', async (req, _context, principal) =>
        scoreboardToProto(await scoreboard.get(principal, req.recentRounds)),
      ),
    ),
    watchScoreboard: serverStream(
      access.stream(SCOREBOARD_POLICY, 'watchScoreboard', (req, context, principal) =>
        watchResponses(feed.watch(principal, req.recentRounds, context.signal)),
      ),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.ScoreboardService',
    definition: ScoreboardServiceService,
    implementation,
  };
}
