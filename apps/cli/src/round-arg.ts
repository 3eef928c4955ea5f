import { MAX_RECENT_ROUNDS_SHOWN } from './scoreboard.command.js';
import { isoTime } from './cli-args.js';
import { CliError, UsageError } from './cli-errors.js';
import type { Connection } from './connection.js';

/**
 * A round as people name it: its number (`12`, as the scoreboard's r12 column shows it; one of
 * the last 100) or its start time (ISO 8601, as `scoreboard --json` gives it).
 */
export async function roundArg(
  flag: string,
  value: string | undefined,
  c: Connection,
): Promise<Date> {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    const board = await c.scoreboard.getScoreboard({ recentRounds: MAX_RECENT_ROUNDS_SHOWN });
    const rounds = board.teams[0]?.recentRounds ?? [];
    const found = rounds.find((r) => r.roundNumber === n)?.roundTime;
    if (found !== undefined) return found;
    const known =
      rounds.length === 0
        ? 'none yet'
        : `r${rounds[0]!.roundNumber}–r${rounds.at(-1)!.roundNumber}`;
    throw new CliError(
      `no round ${n} among the last ${MAX_RECENT_ROUNDS_SHOWN} (${known}); give an older one by its start time`,
    );
  }
  if (!/^\d{4}-/.test(value)) {
    throw new UsageError(
      `${flag} must be a round's number or its start time (ISO 8601), got "${value}"`,
    );
  }
  return isoTime(flag, value);
}
