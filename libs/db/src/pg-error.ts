/** The parts of a PostgreSQL error a repository needs to turn it into a domain error. */
export interface PgErrorInfo {
  /** SQLSTATE, e.g. 23505 unique_violation. */
  code: string;
  constraint: string | undefined;
  detail: string | undefined;
}

export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';

export function pgErrorInfo(err: unknown): PgErrorInfo | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  return {
    code: e.code,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
    detail: typeof e.detail === 'string' ? e.detail : undefined,
  };
}
