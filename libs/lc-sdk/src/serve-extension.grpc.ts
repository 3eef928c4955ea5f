import {
  GrpcStatus,
  ServerError,
  type CallContext,
  type RunningGrpcServer,
  type ServiceBinding,
} from '@checkwire/grpc';
import { createLogger } from '@checkwire/log';
import {
  LcExtensionServiceService,
  type ExtensionCall,
  type ExtensionOrg as OrgMessage,
  type ExtensionResponse,
  type OnExtensionErrorReportRequest,
  type OnExtensionEventRequest,
  type OnExtensionRequestRequest,
  type ValidateExtensionConfigRequest,
} from '@checkwire/proto';
import { tokenGuard } from './bearer-token.js';
import { serveBindings } from './serve-bindings.grpc.js';
import { errorResponse, toExtensionResponse, type ExtensionResult } from './extension-answer.js';
import { isExtensionError } from './extension-error.js';
import type { Extension, ExtensionContext } from './extension.js';
import type { ServeOptions } from './serve.grpc.js';

function contextFor(
  call: ExtensionCall | undefined,
  org: OrgMessage | undefined,
  config: Record<string, unknown> | undefined,
  signal: AbortSignal,
): ExtensionContext {
  return {
    extensionName: call?.extensionName ?? '',
    idempotencyKey: call?.idempotencyKey ?? '',
    deadline: call?.deadline,
    org: { oid: org?.oid ?? '', jwt: org?.jwt ?? '', ident: org?.ident ?? '' },
    config: config ?? {},
    signal,
  };
}

const unimplemented = (ext: Extension, what: string) =>
  new ServerError(GrpcStatus.UNIMPLEMENTED, `${ext.name} does not implement ${what}`);

/**
 * Runs a handler: its answer, or an ExtensionError as the contract's {error, retriable}. Any other
 * error stays in this process's log under an id; the gateway answers a retriable error naming it.
 */
async function run(
  ext: Extension,
  what: string,
  fn: () => Promise<ExtensionResult> | ExtensionResult,
): Promise<{ response: ExtensionResponse }> {
  try {
    return { response: toExtensionResponse(await fn()) };
  } catch (err) {
    if (isExtensionError(err)) return { response: errorResponse(err.message, err.retriable) };
    const errorId = createLogger(ext.name).failure(`${what} failed`, err);
    throw new ServerError(GrpcStatus.INTERNAL, `${what} failed (error id ${errorId})`);
  }
}

/** The LcExtensionService methods for `ext`. */
function implementation(ext: Extension, guarded: ReturnType<typeof tokenGuard>) {
  return {
    describeExtension: guarded(() => Promise.resolve(ext.describe())),
    onExtensionRequest: guarded(async (req: OnExtensionRequestRequest, context: CallContext) => {
      const r = req.request;
      const action = r?.action ?? '';
      const handler = ext.actionHandler(action);
      if (handler === undefined) throw unimplemented(ext, `action ${JSON.stringify(action)}`);
      const c = r?.continuation;
      return await run(ext, `action ${action}`, () =>
        handler({
          ...contextFor(r?.call, r?.org, r?.config, context.signal),
          action,
          data: r?.data ?? {},
          resourceState: r?.resourceState ?? null,
          invId: r?.invId ?? '',
          continuation:
            c === undefined ? undefined : { id: c.id, attempt: c.attempt, dueAt: c.dueAt },
        }),
      );
    }),
    onExtensionEvent: guarded(async (req: OnExtensionEventRequest, context: CallContext) => {
      const e = req.event;
      const name = e?.eventName ?? '';
      const handler = ext.eventHandler(name);
      if (handler === undefined) throw unimplemented(ext, `event ${JSON.stringify(name)}`);
      return await run(ext, `event ${name}`, () =>
        handler({
          ...contextFor(e?.call, e?.org, e?.config, context.signal),
          eventName: name,
          data: e?.data ?? null,
        }),
      );
    }),
    validateExtensionConfig: guarded(
      async (req: ValidateExtensionConfigRequest, context: CallContext) => {
        const v = req.validation;
        if (ext.validateConfig === undefined) throw unimplemented(ext, 'validateConfig');
        const ctx = contextFor(v?.call, v?.org, v?.config, context.signal);
        return await run(ext, 'validateConfig', () => ext.validateConfig!(ctx));
      },
    ),
    onExtensionErrorReport: guarded(async (req: OnExtensionErrorReportRequest) => {
      const r = req.report;
      if (ext.onErrorReport === undefined) throw unimplemented(ext, 'onErrorReport');
      const report = {
        extensionName: r?.call?.extensionName ?? '',
        idempotencyKey: r?.call?.idempotencyKey ?? '',
        oid: r?.oid ?? '',
        error: r?.error ?? '',
      };
      return await run(ext, 'onErrorReport', async () => {
        await ext.onErrorReport!(report);
      });
    }),
  };
}

/** `ext` as the checkwire.lc.v1.LcExtensionService binding of a gRPC server (`token` as below). */
export function extensionBinding(ext: Extension, token: string | undefined): ServiceBinding {
  return {
    name: 'checkwire.lc.v1.LcExtensionService',
    definition: LcExtensionServiceService,
    implementation: implementation(ext, tokenGuard('serveExtension', token)),
  };
}

/**
 * Serves `ext` as checkwire.lc.v1.LcExtensionService, for an LC gateway (its extension routes)
 * and the scheduler (continuations) to call. `token` as for serveLcService.
 */
export async function serveExtension(
  ext: Extension,
  options: ServeOptions = {},
): Promise<RunningGrpcServer> {
  return serveBindings([extensionBinding(ext, options.token)], options);
}
