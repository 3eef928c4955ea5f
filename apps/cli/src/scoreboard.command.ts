import { parseArgs } from 'node:util';
import { RoundStatus, type GetScoreboardResponse } from '@checkwire/proto';
import { wholeNumber } from './cli-args.js';
import { csvRow } from './csv.js';
import type { Connection } from './connection.js';

const percent = (r: number) => `${(r * 100).toFixed(1)}%`;

/** The most recent rounds GetScoreboard gives per team. */
export const MAX_RECENT_ROUNDS_SHOWN = 100;

const STATUS_WORD: Record<RoundStatus, string> = {
  [RoundStatus.ROUND_STATUS_UNSPECIFIED]: '-',
  [RoundStatus.ROUND_STATUS_UP]: 'up',
  [RoundStatus.ROUND_STATUS_PARTIAL]: 'partial',
  [RoundStatus.ROUND_STATUS_DOWN]: 'down',
  [RoundStatus.ROUND_STATUS_ERROR]: 'error',
  [RoundStatus.UNRECOGNIZED]: '?',
};

/** The scoreboard as a table: rank, team, points, uptime, then a line per service it may see. */
export function scoreboardTable(board: GetScoreboardResponse): string {
  const width = Math.max(4, ...board.teams.map((t) => t.teamName.length));
  const rounds = board.teams[0]?.recentRounds ?? [];
  const head = [
    'rank',
    'team'.padEnd(width),
    'points'.padStart(10),
    'sla'.padStart(7),
    'uptime'.padStart(7),
    ...rounds.map((r) => `r${r.roundNumber}`.padStart(7)),
  ].join('  ');
  const lines = [
    `${board.rounds} round${board.rounds === 1 ? '' : 's'}${
      board.latestRoundTime ? `, latest ${board.latestRoundTime.toISOString()}` : ''
    }`,
    head,
  ];
  for (const t of board.teams) {
    lines.push(
      [
        String(t.rank).padStart(4),
        t.teamName.padEnd(width),
        String(t.points).padStart(10),
        (t.penaltyPoints === 0 ? '' : `-${t.penaltyPoints}`).padStart(7),
        percent(t.uptime).padStart(7),
        ...t.recentRounds.map((r) => String(r.points).padStart(7)),
      ].join('  '),
    );
    for (const a of t.adjustments) {
      lines.push(
        `      adjusted ${a.points > 0 ? '+' : ''}${a.points}: ${a.reason} (audit ${a.auditId})`,
      );
    }
    for (const s of t.services) {
      const sla = s.penaltyPoints === 0 ? '' : ` (-${s.penaltyPoints} SLA)`;
      const partial = s.roundsPartial === 0 ? '' : `, ${s.roundsPartial} partial`;
      lines.push(
        `      ${STATUS_WORD[s.lastStatus].padEnd(7)} ${s.name} (${s.subtype}): ${s.points} points${sla}, ${percent(
          s.uptime,
        )} up of ${s.roundsScored} rounds${partial}`,
      );
    }
  }
  return lines.join('\n');
}

/** One line per team (its recent rounds as columns r<N>), then one per adjustment. */
export function scoreboardCsv(board: GetScoreboardResponse): string {
  const rounds = board.teams[0]?.recentRounds ?? [];
  const lines = [
    csvRow([
      'rank',
      'team_id',
      'team',
      'points',
      'adjustment_points',
      'penalty_points',
      'uptime',
      ...rounds.map((r) => `r${r.roundNumber}`),
    ]),
    ...board.teams.map((t) =>
      csvRow([
        t.rank,
        t.teamId,
        t.teamName,
        t.points,
        t.adjustmentPoints,
        t.penaltyPoints,
        t.uptime.toFixed(4),
        ...t.recentRounds.map((r) => r.points),
      ]),
    ),
  ];
  const adjustments = board.teams.flatMap((t) => t.adjustments.map((a) => ({ t, a })));
  if (adjustments.length > 0) {
    lines.push(
      '',
      csvRow(['adjustment_id', 'team_id', 'team', 'points', 'reason', 'audit_id', 'time']),
    );
    for (const { t, a } of adjustments) {
      lines.push(csvRow([a.id, t.teamId, t.teamName, a.points, a.reason, a.auditId, a.createTime]));
    }
  }
  return lines.join('\n');
}

/**
 * `scoreboard [--rounds N] [--services] [--json|--csv] [--watch]`. With --watch, the board again
 * each time it changes (a line of JSON each with --json) until interrupted.
 */
export async function runScoreboard(
  args: string[],
  c: Connection,
  write: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: 'string' },
      services: { type: 'boolean' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      watch: { type: 'boolean' },
    },
  });
  const recentRounds = values.rounds === undefined ? 0 : wholeNumber('--rounds', values.rounds);
  const render = (board: GetScoreboardResponse, json: string | undefined) => {
    if (values.json) return json ?? JSON.stringify(board, null, 2);
    if (values.csv) return scoreboardCsv(board);
    const shown = values.services
      ? board
      : { ...board, teams: board.teams.map((t) => ({ ...t, services: [] })) };
    return scoreboardTable(shown);
  };
  if (values.watch) {
    for await (const { scoreboard } of c.scoreboard.watchScoreboard({ recentRounds })) {
      write(render(scoreboard!, values.json ? JSON.stringify(scoreboard) : undefined));
      if (!values.json) write('');
    }
    return 'the scoreboard stream ended';
  }
  return render(await c.scoreboard.getScoreboard({ recentRounds }), undefined);
}
