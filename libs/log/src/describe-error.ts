/**
 * What is logged of an unexpected error: its id, class name, `code` (a PostgreSQL SQLSTATE, a
 * Node errno name), message and stack frames (code locations). Never the error object itself:
 * a PostgreSQL error's `detail` ("Failing row contains (…)"), `where` or `parameters` can quote
 * the row being written, passwords included.
 */
export function describeInternalError(errorId: string, err: unknown): string {
  if (!(err instanceof Error)) return `internal error ${errorId}: non-Error thrown (${typeof err})`;
  const code = (err as { code?: unknown }).code;
  const codeText = typeof code === 'string' || typeof code === 'number' ? ` [code ${code}]` : '';
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 10);
  return [`internal error ${errorId}: ${err.name}${codeText}: ${err.message}`, ...frames].join(
    '\n',
  );
}
