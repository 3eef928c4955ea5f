import pg from 'pg';

/** Every value as the text PostgreSQL sends it (never parsed into a number, a date or JSON). */
const AS_TEXT: pg.CustomTypesConfig = { getTypeParser: () => (text: string) => text };

/**
 * pg sends a query with parameters in the extended protocol, and one without in the simple one,
 * which runs every statement of a string ("SELECT 1; COMMIT; DELETE …"): `queryMode` (which
 * @types/pg does not know) asks for the extended one, where the server takes a single statement.
 */
type Extended = pg.QueryArrayConfig & { queryMode: 'extended' };

/**
 * The first column of the first row of `query` (a SELECT, VALUES, TABLE or WITH … SELECT), as
 * text: null for NULL (and a row of no columns), undefined when there is no row. It runs read-only and
 * bounded: in a READ ONLY transaction, under a statement_timeout of `serverLimitMs` (SET LOCAL),
 * as a cursor of which one row is fetched (the server computes no more), then rolled back.
 * A server error (syntax, a missing table, a write refused) rejects with pg's DatabaseError.
 */
export async function postgresFirstValue(
  client: pg.Client,
  query: string,
  serverLimitMs: number,
): Promise<string | null | undefined> {
  const extended = (text: string): Extended => ({
    text,
    rowMode: 'array',
    types: AS_TEXT,
    queryMode: 'extended',
  });
  await client.query('BEGIN READ ONLY');
  await client.query("SELECT set_config('statement_timeout', $1, true)", [`${serverLimitMs}ms`]);
  await client.query(extended(`DECLARE checkwire_check NO SCROLL CURSOR FOR ${query}`));
  const { rows } = await client.query<unknown[]>(extended('FETCH FORWARD 1 FROM checkwire_check'));
  await client.query('ROLLBACK');
  const row = rows[0];
  if (row === undefined) return undefined;
  return row.length === 0 ? null : (row[0] as string | null);
}
