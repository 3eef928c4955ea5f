/**
 * An error and everything it wraps (`cause`, an AggregateError's `errors`), outermost first:
 * kysely and libs/db wrap the driver's error ("migration unknown failed"), and a host with two
 * addresses fails with an AggregateError of two refusals.
 */
export function errorChain(err: unknown): object[] {
  const chain: object[] = [];
  const visit = (e: unknown) => {
    if (typeof e !== 'object' || e === null || chain.includes(e) || chain.length > 20) return;
    chain.push(e);
    if ('errors' in e && Array.isArray(e.errors)) e.errors.forEach(visit);
    if ('cause' in e) visit(e.cause);
  };
  visit(err);
  return chain;
}

/** The first string `code` in the chain (a SQLSTATE such as 28P01, or an errno such as ECONNREFUSED). */
export function errorCode(err: unknown, codes: ReadonlySet<string>): string | undefined {
  for (const e of errorChain(err)) {
    if ('code' in e && typeof e.code === 'string' && codes.has(e.code)) return e.code;
  }
  return undefined;
}

/** The chain's messages, for errors that carry no code (grpc-js's bind failures, pg's timeouts). */
export function errorMessages(err: unknown): string[] {
  return errorChain(err).flatMap((e) =>
    'message' in e && typeof e.message === 'string' ? [e.message] : [],
  );
}
