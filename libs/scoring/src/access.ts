import {
  isLimitedRunner,
  requireMayScore,
  requireRole,
  type Authenticator,
  type Principal,
  type RoleName,
} from '@checkwire/auth';
import type { Db } from '@checkwire/db';
import type { CallContext, ServerStreamHandler, UnaryHandler } from '@checkwire/grpc';
import { serviceOfScore, serviceSubtypes } from './service-visibility.repository.js';

/** Who may call an RPC. */
export const ANYONE: readonly RoleName[] = [
  'admin',
  'check_runner',
  'blue',
  'red',
  'green',
  'public',
];
export const SCORERS: readonly RoleName[] = ['admin', 'check_runner'];
export const ADMIN_ONLY: readonly RoleName[] = ['admin'];

export type GuardedHandler<Req, Res> = (
  request: Req,
  context: CallContext,
  principal: Principal,
) => Promise<Res>;

/**
 * The access edge of every RPC: establishes the caller from its `authorization` metadata,
 * refuses roles the RPC does not allow, and, for check runners limited to some subtypes or
 * services, checks the services they touch.
 */
export class Access {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly db: Db,
  ) {}

  async principal(context: CallContext): Promise<Principal> {
    const values = context.metadata.get('authorization');
    return this.authenticator.authenticate(values[0]?.toString());
  }

  /** Wraps a handler so it only runs for the allowed roles, with the caller's principal. */
  guard<Req, Res>(
    allowed: readonly RoleName[],
    rpc: string,
    handler: GuardedHandler<Req, Res>,
  ): UnaryHandler<Req, Res> {
    return async (request, context) => {
      const principal = await this.principal(context);
      requireRole(principal, allowed, `call ${rpc}`);
      return handler(request, context, principal);
    };
  }

  /** The same for a server stream: nothing is sent before the caller is allowed. */
  guardStream<Req, Res>(
    allowed: readonly RoleName[],
    rpc: string,
    handler: (request: Req, context: CallContext, principal: Principal) => AsyncIterable<Res>,
  ): ServerStreamHandler<Req, Res> {
    const principal = (context: CallContext) => this.principal(context);
    return async function* (request, context) {
      const p = await principal(context);
      requireRole(p, allowed, `call ${rpc}`);
      yield* handler(request, context, p);
    };
  }

  /** A limited runner may score only its services (one query); others pass without one. */
  async requireMayScoreServices(principal: Principal, ids: readonly number[]): Promise<void> {
    if (!isLimitedRunner(principal)) return;
    // Malformed ids are the action's to refuse (INVALID_ARGUMENT), missing ones its NOT_FOUND.
    const wellFormed = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0);
    for (const service of await serviceSubtypes(this.db, wellFormed)) {
      requireMayScore(principal, service);
    }
  }

  async requireMayScoreScore(principal: Principal, scoreId: number): Promise<void> {
    if (!isLimitedRunner(principal) || !Number.isSafeInteger(scoreId) || scoreId <= 0) return;
    const service = await serviceOfScore(this.db, scoreId);
    if (service !== undefined) requireMayScore(principal, service);
  }
}
