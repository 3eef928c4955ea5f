import {
  checksDecoding,
  requireDecoded,
  type CallContext,
  type ServerStreamHandler,
  type UnaryHandler,
} from '@checkwire/grpc';
import { rpcName, type ServicePolicy } from './access-policy.js';
import type { Authenticator } from './authenticator.js';
import { requireRole } from './policy.js';
import type { Principal } from './principal.js';
import { StreamLimiter } from './stream-limiter.js';

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

export interface CallGuardOptions {
  /** Open streams one caller (token, or public address) may hold. @default DEFAULT_STREAMS_PER_CALLER */
  streamsPerCaller?: number;
}

/**
 * The access edge of a gRPC service: establishes the caller from the call's `authorization`
 * metadata and refuses the roles the service's policy does not allow for the RPC, before the
 * handler runs, and before the request is even looked at: an undecodable request is
 * INVALID_ARGUMENT only for a caller that may make the call (others learn nothing about the RPC
 * from it).
 */
export class CallGuard {
  private readonly streams: StreamLimiter;

  constructor(
    private readonly authenticator: Authenticator,
    options: CallGuardOptions = {},
  ) {
    this.streams = new StreamLimiter(options.streamsPerCaller);
  }

  caller(context: CallContext): Promise<Principal> {
    return this.authenticator.authenticate(context.metadata.get('authorization')[0]?.toString());
  }

  /** The caller, refused unless the policy lets its role call `rpc`. */
  private async allowed<S>(
    policy: ServicePolicy<S>,
    rpc: keyof S & string,
    context: CallContext,
  ): Promise<Principal> {
    const principal = await this.caller(context);
    requireRole(principal, policy.rpcs[rpc], `call ${policy.service}.${rpcName(rpc)}`);
    return principal;
  }

  unary<S, Req, Res>(
    policy: ServicePolicy<S>,
    rpc: keyof S & string,
    handler: GuardedUnary<Req, Res>,
  ): UnaryHandler<Req, Res> {
    return checksDecoding(async (request: Req, context: CallContext) => {
      const principal = await this.allowed(policy, rpc, context);
      return handler(requireDecoded(request), context, principal);
    });
  }

  /**
   * Nothing is sent before the caller is allowed; a caller holds at most so many streams at once
   * (RESOURCE_EXHAUSTED past that); and the token is checked again (through the authenticator's
   * cache) before each message after a second or more: a revoked token's stream ends with
   * UNAUTHENTICATED at its next message.
   */
  stream<S, Req, Res>(
    policy: ServicePolicy<S>,
    rpc: keyof S & string,
    handler: GuardedStream<Req, Res>,
  ): ServerStreamHandler<Req, Res> {
    const allowed = (context: CallContext) => this.allowed(policy, rpc, context);
    const caller = (context: CallContext) => this.caller(context);
    const streams = this.streams;
    return checksDecoding(async function* (request: Req, context: CallContext) {
      const principal = await allowed(context);
      const release = streams.acquire(principal, context.peer);
      try {
        let checkedAt = Date.now();
        for await (const message of handler(requireDecoded(request), context, principal)) {
          if (Date.now() - checkedAt >= RECHECK_MS) {
            await caller(context);
            checkedAt = Date.now();
          }
          yield message;
        }
      } finally {
        release();
      }
    });
  }
}
