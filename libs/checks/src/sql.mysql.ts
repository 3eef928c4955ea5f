import type { Connection, FieldPacket, TypeCast } from 'mysql2';
import type { Connection as PromiseConnection } from 'mysql2/promise';

/** Every value as the text the server sends it (never parsed into a number or a date). */
const AS_TEXT: TypeCast = (field) => field.string();

/** The server has no such variable (MySQL has no max_statement_time, MariaDB no max_execution_time). */
const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

export interface MysqlFirstValue {
  /** The first column of the first row as text (null for NULL); undefined: no row. */
  value: string | null | undefined;
  /** The query's result was read to its end (else rows were still coming when the value came). */
  ended: boolean;
}

/**
 * Stops the session's statements at `serverLimitMs`: MariaDB's max_statement_time (seconds,
 * every statement) or else MySQL's max_execution_time (milliseconds, SELECTs only); a server with
 * neither is bounded by the check's own time limit alone.
 */
async function limitStatements(conn: PromiseConnection, serverLimitMs: number): Promise<void> {
  const limits = [
    ['SET SESSION max_statement_time = ?', serverLimitMs / 1000],
    ['SET SESSION max_execution_time = ?', serverLimitMs],
  ] as const;
  for (const [sql, value] of limits) {
    try {
      await conn.query(sql, [value]);
      return;
    } catch (err) {
      if ((err as { errno?: number }).errno !== ER_UNKNOWN_SYSTEM_VARIABLE) throw err;
    }
  }
}

/**
 * The first row of `sql`, streamed (mysql2 keeps no rows of a query given no callback): resolves
 * at the first row, or at the end of a query without rows. `ended` says whether the result had
 * ended by then (its end usually comes in the same packet as its only row); a statement that
 * returns no result set (an OK packet) has no row.
 */
function firstRow(core: Connection, sql: string): Promise<MysqlFirstValue> {
  return new Promise((resolve, reject) => {
    const result: MysqlFirstValue = { value: undefined, ended: false };
    let fields: FieldPacket[] | undefined;
    // A query without a callback leaves a lost connection (the meter's limit, a reset) to the
    // connection's 'error', not the query's.
    const lost = (err: Error) => reject(err);
    core.once('error', lost);
    const done = () => {
      core.off('error', lost);
      resolve(result);
    };
    const q = core.query({ sql, rowsAsArray: true, typeCast: AS_TEXT });
    q.on('fields', (f: FieldPacket[] | undefined) => (fields = f));
    q.on('result', (row: unknown) => {
      if (fields === undefined || result.value !== undefined || !Array.isArray(row)) return;
      result.value = (row[0] ?? null) as string | null;
      done();
    });
    q.on('end', () => {
      result.ended = true;
      done();
    });
    q.on('error', (err) => {
      core.off('error', lost);
      reject(err);
    });
  });
}

/**
 * `query` as a parenthesised query expression, `(<query>) LIMIT 1`, so that only a query (a
 * SELECT, VALUES, or a UNION of them) runs: read-only mode does not stop `CALL p()` (a procedure
 * may start a READ WRITE transaction of its own), `SELECT … INTO OUTFILE`, `KILL` or `SHUTDOWN`,
 * which are syntax errors here (an INTO is refused inside parentheses). Not as a derived table
 * (`SELECT * FROM (<query>) AS q`): MariaDB drops the ORDER BY of one without a LIMIT, and
 * refuses duplicate column names. Trailing semicolons and blanks are dropped; the line break ends
 * a `--` or `#` comment, and an unterminated comment or string, which would swallow the `)`, is
 * a syntax error. MariaDB takes no WITH inside parentheses: `SELECT … FROM (WITH …) AS x` does.
 */
function asQueryExpression(query: string): string {
  let end = query.length;
  while (end > 0 && (query[end - 1] === ';' || /\s/.test(query[end - 1]!))) end--;
  return `(${query.slice(0, end)}\n) LIMIT 1`;
}

/**
 * The first column of the first row of `query`, as text, run read-only and bounded: only as a query
 * (asQueryExpression), the session's transactions READ ONLY (so one a statement commits
 * implicitly, DDL, is read-only too), its statements stopped at `serverLimitMs`, the query in a
 * START TRANSACTION READ ONLY, only its first row read, then ROLLBACK when its result has ended
 * (else the caller hangs up, and the server rolls back). mysql2 sends no second statement
 * (multipleStatements is off). A server error rejects with mysql2's error (`code`, `errno`,
 * `sqlMessage`): a statement that is no query is ER_PARSE_ERROR.
 */
export async function mysqlFirstValue(
  core: Connection,
  query: string,
  serverLimitMs: number,
): Promise<MysqlFirstValue> {
  const conn = core.promise();
  await conn.query('SET SESSION TRANSACTION READ ONLY');
  await limitStatements(conn, serverLimitMs);
  await conn.query('START TRANSACTION READ ONLY');
  const first = await firstRow(core, asQueryExpression(query));
  if (first.ended) await conn.query('ROLLBACK');
  return first;
}
