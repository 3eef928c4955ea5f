import type { GetScoreboardResponse, ServiceError, ServiceStatus } from '@checkwire/proto';
import { RoundStatus, serviceErrorKindToJSON } from '@checkwire/proto';

/** A status page cell: what the browser needs of a ServiceStatus, as plain JSON. */
export function statusView(s: ServiceStatus) {
  return {
    serviceId: s.serviceId,
    teamId: s.teamId,
    name: s.name,
    subtype: s.subtype,
    inProgress: s.inProgress,
    lastScan: s.lastScan ?? null,
    lastScanTime: s.lastScanTime?.toISOString() ?? null,
    // A last scan above 0 and below the cap earned part of the service's points.
    scoreCap: s.scoreCap ?? null,
    // Only an admin's calls are answered with error texts; others get none to pass on.
    lastScanError: s.lastScanError ?? null,
    administrativelyDown: s.administrativelyDown,
    downReason: s.downReason,
    version: s.version,
  };
}

const ROUND_STATUS = new Map<RoundStatus, 'up' | 'partial' | 'down' | 'error'>([
  [RoundStatus.ROUND_STATUS_UP, 'up'],
  [RoundStatus.ROUND_STATUS_PARTIAL, 'partial'],
  [RoundStatus.ROUND_STATUS_DOWN, 'down'],
  [RoundStatus.ROUND_STATUS_ERROR, 'error'],
]);

/**
 * The scoreboard as the browser reads it (`GET /api/scoreboard` and each `scoreboard` event of
 * its stream). Points are net of SLA penalties; `penaltyPoints` says how much those took.
 */
export function scoreboardView(board: GetScoreboardResponse) {
  return {
    rounds: board.rounds,
    latestRoundTime: board.latestRoundTime?.toISOString() ?? null,
    teams: board.teams.map((t) => ({
      teamId: t.teamId,
      name: t.teamName,
      rank: t.rank,
      points: t.points,
      uptime: t.uptime,
      adjustmentPoints: t.adjustmentPoints,
      penaltyPoints: t.penaltyPoints,
      services: t.services.map((s) => ({
        serviceId: s.serviceId,
        name: s.name,
        subtype: s.subtype,
        points: s.points,
        uptime: s.uptime,
        lastUp: s.lastUp,
        // null before the service's first scored round.
        lastStatus: ROUND_STATUS.get(s.lastStatus) ?? null,
        penaltyPoints: s.penaltyPoints,
        roundsPartial: s.roundsPartial,
      })),
      recentRounds: t.recentRounds.map((r) => ({
        round: r.roundNumber,
        time: r.roundTime?.toISOString() ?? null,
        points: r.points,
        penaltyPoints: r.penaltyPoints,
      })),
    })),
  };
}

/** `SERVICE_ERROR_KIND_TIMEOUT` → `timeout`. */
export const kindName = (kind: ServiceError['kind']) =>
  serviceErrorKindToJSON(kind)
    .replace(/^SERVICE_ERROR_KIND_/, '')
    .toLowerCase();

export function errorView(e: ServiceError, jaegerUrl: string | undefined) {
  return {
    id: e.id,
    scoreId: e.scoreId,
    serviceId: e.serviceId,
    serviceName: e.serviceName,
    teamId: e.teamId,
    subtype: e.subtype,
    kind: kindName(e.kind),
    message: e.message,
    detail: e.detail,
    createdAt: e.createdAt?.toISOString() ?? null,
    traceId: e.traceId || null,
    traceUrl:
      jaegerUrl !== undefined && e.traceId !== ''
        ? `${jaegerUrl.replace(/\/+$/, '')}/trace/${e.traceId}`
        : null,
  };
}
