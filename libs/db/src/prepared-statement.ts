import type pg from 'pg';

/** What runs a prepared statement: the pool (hot single statements need no transaction). */
export type SqlClient = Pick<pg.Pool, 'query'>;

/**
 * A named, server-side prepared statement: each connection parses and plans it once, then only
 * binds and executes. Reserved for the hot path (the check lifecycle), where parsing and
 * planning a CTE would cost more than running it; everything else uses kysely.
 */
export class PreparedStatement<Params extends unknown[], Row extends pg.QueryResultRow> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  async rows(client: SqlClient, ...values: Params): Promise<Row[]> {
    const result = await client.query<Row>({ name: this.name, text: this.text, values });
    return result.rows;
  }
}
