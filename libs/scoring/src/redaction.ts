import { maySeeErrorText, maySeeSecrets, type Principal } from '@checkwire/auth';
import type { ScoreRow, ServiceRow } from '@checkwire/db';
import type { ListedScore } from './score.repository.js';

// What a principal may read of a row it may see: credentials only for admin and check runners,
// a failed check's text only for admin.

/** A whole row, or a read mask's columns of one: only the columns it has are redacted. */
export function redactService<R extends Partial<ServiceRow>>(p: Principal, row: R): R {
  const secrets = maySeeSecrets(p);
  const errorText = maySeeErrorText(p);
  if (secrets && errorText) return row;
  const redacted = { ...row };
  if (!secrets && 'username' in row) redacted.username = '';
  if (!secrets && 'password' in row) redacted.password = '';
  if (!errorText && 'last_scan_error' in row) redacted.last_scan_error = null;
  return redacted;
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
