import {
  checksDecoding,
  requireDecoded,
  type CallContext,
  type ServerStreamHandler,
  type UnaryHandler,
} from '@checkwire/grpc';
import type { Authenticator } from './authenticator.js';
import { requireRole } from './policy.js';
import type { Principal, RoleName } from './principal.js';

/** How often a long stream re-checks its caller's token. */
const RECHECK_MS = 1000;

/** A handler that also receives the authenticated caller. */
export type GuardedUnary<Req, Res> = (
  request: Req,
  context: CallContext,
  principal: Principal,
) => Promise<Res>;

export type GuardedStream<Req, Res> = (
  request: Req,
  context: CallContext,
  principal: Principal,
) => AsyncIterable<Res>;

/**
 * The access edge of a gRPC service: establishes the caller from the call's `authorization`
 * metadata and refuses the roles an RPC does not allow, before the handler runs, and before the
 * request is even looked at: an undecodable request is INVALID_ARGUMENT only for a caller that may
 * make the call (others learn nothing about the RPC from it).
 */
export class CallGuard {
  constructor(private readonly authenticator: Authenticator) {}

  caller(context: CallContext): Promise<Principal> {
    return this.authenticator.authenticate(context.metadata.get('authorization')[0]?.toString());
  }

  unary<Req, Res>(
    allowed: readonly RoleName[],
    rpc: string,
    handler: GuardedUnary<Req, Res>,
  ): UnaryHandler<Req, Res> {
    return checksDecoding(async (request: Req, context: CallContext) => {
      const principal = await this.caller(context);
      requireRole(principal, allowed, `call ${rpc}`);
      return handler(requireDecoded(request), context, principal);
    });
  }

  /**
   * Nothing is sent before the caller is allowed, and the token is checked again (through the
   * authenticator's cache) before each message after a second or more: a revoked token's stream
   * ends with UNAUTHENTICATED at its next message.
   */
  stream<Req, Res>(
    allowed: readonly RoleName[],
    rpc: string,
    handler: GuardedStream<Req, Res>,
  ): ServerStreamHandler<Req, Res> {
    const caller = (context: CallContext) => this.caller(context);
    return checksDecoding(async function* (request: Req, context: CallContext) {
      const principal = await caller(context);
      requireRole(principal, allowed, `call ${rpc}`);
      let checkedAt = Date.now();
      for await (const message of handler(requireDecoded(request), context, principal)) {
        if (Date.now() - checkedAt >= RECHECK_MS) {
          await caller(context);
          checkedAt = Date.now();
        }
        yield message;
      }
    });
  }
}
