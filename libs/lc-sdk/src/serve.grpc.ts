import { timingSafeEqual } from 'node:crypto';
import { HANDLER_ETYPES } from '@checkwire/lc-wire';
import {
  GrpcStatus,
  ServerError,
  startGrpcServer,
  unary,
  type CallContext,
  type RunningGrpcServer,
  type ServerTls,
} from '@checkwire/grpc';
import {
  LcHandlerServiceService,
  loadDescriptorSet,
  type Callback as CallbackMessage,
  type CallbackResult,
  type LcHandlerServiceServer,
} from '@checkwire/proto';
import type { LcService } from './lc-service.js';
import { isNotImplemented, toResult } from './response.js';
import { createLogger } from '@checkwire/log';

export interface ServeOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  tls?: ServerTls;
  /**
   * A shared secret: every call must carry `authorization: Bearer <token>` (the gateway's route
   * and the scheduler's handler entry send it), or it fails UNAUTHENTICATED before the service
   * sees it. Without it anyone who reaches the port can call the service, so set it whenever the
   * port is reachable by more than the gateway. None: no check.
   */
  token?: string;
}

/** Whether the call carries the token, compared in constant time. */
function authorized(context: CallContext, token: string): boolean {
  const header = context.metadata.get('authorization')[0];
  const given = Buffer.from(typeof header === 'string' ? header : '', 'utf8');
  const expected = Buffer.from(`Bearer ${token}`, 'utf8');
  // The token's length is not secret enough to hide; its content is compared in constant time.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A handler answer for one callback; what a thrown error becomes is the handler's own message. */
async function answer(
  service: LcService,
  etype: string,
  callback: CallbackMessage | undefined,
  signal: AbortSignal,
): Promise<CallbackResult> {
  const fn = service.callbackFor(etype);
  if (fn === undefined) {
    throw new ServerError(GrpcStatus.UNIMPLEMENTED, `${service.name} does not implement ${etype}`);
  }
  let result;
  try {
    result = await fn({
      etype,
      oid: callback?.oid ?? '',
      jwt: callback?.jwt ?? '',
      mid: callback?.mid ?? '',
      deadline: callback?.deadline,
      data: callback?.data ?? {},
      sid: callback?.sid ?? '',
      serviceName: callback?.serviceName ?? '',
      signal,
    });
  } catch (err) {
    // The error (message and stack) stays in this process's log, under an id the answer names.
    const errorId = createLogger(service.name).failure(`${etype} failed`, err);
    throw new ServerError(GrpcStatus.INTERNAL, `${etype} failed (error id ${errorId})`);
  }
  if (isNotImplemented(result)) {
    throw new ServerError(GrpcStatus.UNIMPLEMENTED, `${service.name} does not implement ${etype}`);
  }
  return toResult(result);
}

/** Serves `service` as checkwire.lc.v1.LcHandlerService, for an LC gateway to call. */
export async function serveLcService(
  service: LcService,
  options: ServeOptions = {},
): Promise<RunningGrpcServer> {
  const { token } = options;
  if (token === '') throw new Error('serveLcService: token is empty');
  const guarded = <Req, Res>(handler: (req: Req, context: CallContext) => Promise<Res>) =>
    unary<Req, Res>((req, context) => {
      if (token !== undefined && !authorized(context, token)) {
        return Promise.reject(
          new ServerError(GrpcStatus.UNAUTHENTICATED, 'missing or bad handler token'),
        );
      }
      return handler(req, context);
    });
  const implementation: Record<string, unknown> = {
    describe: guarded(() => Promise.resolve(service.describe())),
  };
  for (const [etype, method] of Object.entries(HANDLER_ETYPES)) {
    implementation[method] = guarded<{ callback?: CallbackMessage }, { result: CallbackResult }>(
      async (req, context) => ({
        result: await answer(service, etype, req.callback, context.signal),
      }),
    );
  }
  return startGrpcServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tls: options.tls,
    descriptorSet: loadDescriptorSet(),
    services: [
      {
        name: 'checkwire.lc.v1.LcHandlerService',
        definition: LcHandlerServiceService,
        implementation: implementation as unknown as LcHandlerServiceServer,
      },
    ],
  });
}
