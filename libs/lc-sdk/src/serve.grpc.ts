import { HANDLER_ETYPES } from '@checkwire/lc-wire';
import {
  GrpcStatus,
  ServerError,
  startGrpcServer,
  unary,
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

export interface ServeOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  tls?: ServerTls;
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
    // lcservice answers with the exception; the stack stays in this process's log.
    console.error(`${service.name}: ${etype} failed`, err);
    const e = err instanceof Error ? err : new Error(String(err));
    throw new ServerError(GrpcStatus.INTERNAL, `${e.name}: ${e.message}`);
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
  const implementation: Record<string, unknown> = {
    describe: unary(() => Promise.resolve(service.describe())),
  };
  for (const [etype, method] of Object.entries(HANDLER_ETYPES)) {
    implementation[method] = unary<{ callback?: CallbackMessage }, { result: CallbackResult }>(
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
