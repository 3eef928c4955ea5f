import { maySeeErrorText, maySeeSecrets, type Principal } from '@checkwire/auth';
import type { ScoreRow, ServiceRow } from '@checkwire/db';
import type { ListedScore } from './score.repository.js';

// What a principal may read of a row it may see: credentials only for admin and check runners,
// a failed check's text only for admin.

export function redactService(p: Principal, row: ServiceRow): ServiceRow {
  const secrets = maySeeSecrets(p);
  const errorText = maySeeErrorText(p);
  if (secrets && errorText) return row;
  return {
    ...row,
    username: secrets ? row.username : '',
    password: secrets ? row.password : '',
    last_scan_error: errorText ? row.last_scan_error : null,
  };
}

export function redactScore(p: Principal, row: ListedScore): ListedScore {
  return maySeeErrorText(p) ? row : { ...row, error_msg: null };
}

/**
 * A score a scoring call answers with: what the caller just sent is echoed, but a replay answers
 * with the score stored first (perhaps by another runner), whose text is admin-only like any.
 */
export function redactAnswered(p: Principal, row: ScoreRow, replayed: boolean): ScoreRow {
  return !replayed || maySeeErrorText(p) ? row : { ...row, error_msg: null };
}
