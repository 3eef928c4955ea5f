import { timingSafeEqual } from 'node:crypto';
import { bearerToken, GrpcStatus, ServerError, unary, type CallContext } from '@checkwire/grpc';

/**
 * Whether the call carries the token (`Bearer <token>`, read as Checkwire's services read it),
 * compared in constant time.
 */
function authorized(context: CallContext, token: string): boolean {
  const header = context.metadata.get('authorization')[0];
  const given = Buffer.from(bearerToken(typeof header === 'string' ? header : undefined) ?? '');
  const expected = Buffer.from(token, 'utf8');
  // The token's length is not secret enough to hide; its content is compared in constant time.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Wraps a handler as a grpc-js unary call that, with a `token`, refuses every call without
 * `authorization: Bearer <token>` (UNAUTHENTICATED) before the handler sees it.
 */
export function tokenGuard(what: string, token: string | undefined) {
  if (token === '') throw new Error(`${what}: token is empty`);
  if (token !== undefined && /\s/.test(token)) {
    throw new Error(`${what}: token must not contain spaces (it goes as "Bearer <token>")`);
  }
  return <Req, Res>(handler: (req: Req, context: CallContext) => Promise<Res>) =>
    unary<Req, Res>((req, context) => {
      if (token !== undefined && !authorized(context, token)) {
        return Promise.reject(
          new ServerError(GrpcStatus.UNAUTHENTICATED, 'missing or bad handler token'),
        );
      }
      return handler(req, context);
    });
}
