import { canSeeService, type Principal } from '@checkwire/auth';
import { InvalidArgumentError } from '@checkwire/errors';
import type { AdjustmentRow, RoundStatus } from '@checkwire/db';
import { listAdjustments } from './adjustment.repository.js';
import type { ReadPools } from './read-pools.js';
import {
  recentRounds,
  recentRoundTotals,
  serviceStandings,
  teamTotals,
} from './scoreboard.repository.js';

export const MAX_RECENT_ROUNDS = 100;

export interface ServiceStanding {
  serviceId: number;
  name: string;
  subtype: string;
  points: number;
  roundsUp: number;
  roundsScored: number;
  uptime: number;
  lastUp: boolean;
  /** Undefined before its first scored round. */
  lastStatus: RoundStatus | undefined;
  penaltyPoints: number;
  roundsPartial: number;
}

export interface TeamStanding {
  teamId: number;
  teamName: string;
  rank: number;
  points: number;
  uptime: number;
  services: ServiceStanding[];
  recentRounds: RoundTotal[];
  adjustmentPoints: number;
  penaltyPoints: number;
  adjustments: AdjustmentRow[];
}

export interface RoundTotal {
  roundTime: Date;
  roundNumber: number;
  points: number;
  penaltyPoints: number;
}

export interface Scoreboard {
  teams: TeamStanding[];
  rounds: number;
  latestRoundTime: Date | undefined;
}

const ratio = (up: number, of: number) => (of === 0 ? 0 : up / of);

/** The scoreboard as one caller may see it: every team's totals, the services it may see. */
export class ScoreboardQueries {
  constructor(private readonly reads: ReadPools) {}

  async get(principal: Principal, recent: number): Promise<Scoreboard> {
    if (!Number.isInteger(recent) || recent < 0 || recent > MAX_RECENT_ROUNDS) {
      throw new InvalidArgumentError(
        'recent_rounds',
        `must be 0–${MAX_RECENT_ROUNDS}, got ${recent}`,
      );
    }
    const db = this.reads.for(principal);
    // One snapshot: totals, services and rounds agree with each other.
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const [teams, services, rounds, totals, adjustments] = [
          await teamTotals(trx),
          await serviceStandings(trx),
          await recentRounds(trx, recent),
          await recentRoundTotals(trx, recent),
          await listAdjustments(trx),
        ];
        const byTeam = new Map<number, ServiceStanding[]>();
        for (const s of services) {
          if (!canSeeService(principal, { ...s, id: s.service_id })) continue;
          const list = byTeam.get(s.team_id) ?? [];
          list.push({
            serviceId: s.service_id,
            name: s.name,
            subtype: s.subtype,
            points: Number(s.points),
            roundsUp: s.rounds_up,
            roundsScored: s.rounds_scored,
            uptime: ratio(s.rounds_up, s.rounds_scored),
            lastUp: s.last_up === true,
            lastStatus: s.last_status ?? undefined,
            penaltyPoints: Number(s.penalty_points),
            roundsPartial: s.rounds_partial,
          });
          byTeam.set(s.team_id, list);
        }
        const roundPoints = new Map<string, { points: number; penalty: number }>();
        for (const t of totals) {
          roundPoints.set(`${t.team_id}:${t.round_at.getTime()}`, {
            points: Number(t.points),
            penalty: Number(t.penalty_points),
          });
        }
        return {
          rounds: rounds.count,
          latestRoundTime: rounds.latest,
          teams: teams.map((t) => ({
            teamId: t.team_id,
            teamName: t.team_name,
            rank: t.rank,
            points: Number(t.points),
            uptime: ratio(t.rounds_up, t.rounds_scored),
            adjustmentPoints: Number(t.adjustment_points),
            penaltyPoints: Number(t.penalty_points),
            adjustments: adjustments.filter((a) => a.team_id === t.team_id),
            services: byTeam.get(t.team_id) ?? [],
            recentRounds: rounds.recent.map((r) => {
              const got = roundPoints.get(`${t.team_id}:${r.round_at.getTime()}`);
              return {
                roundTime: r.round_at,
                roundNumber: r.round_number,
                points: got?.points ?? 0,
                penaltyPoints: got?.penalty ?? 0,
              };
            }),
          })),
        };
      });
  }
}
