import { HANDLER_ETYPES } from '@checkwire/lc-wire';
import {
  GrpcStatus,
  ServerError,
  type RunningGrpcServer,
  type ServiceBinding,
  type ServerTls,
} from '@checkwire/grpc';
import {
  LcHandlerServiceService,
  type Callback as CallbackMessage,
  type CallbackResult,
  type LcHandlerServiceServer,
  type OnTaskReplyRequest,
  type OnTaskReplyResponse,
  type SensorTask,
} from '@checkwire/proto';
import { tokenGuard } from './bearer-token.js';
import { serveBindings } from './serve-bindings.grpc.js';
import { InteractiveService, type ReplyContext } from './interactive-service.js';
import { Job } from './job.js';
import type { Callback, CallbackContext, LcService } from './lc-service.js';
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

/** The context a callback gets; `task` collects what an InteractiveService asks for. */
function contextFor(
  service: LcService,
  etype: string,
  callback: CallbackMessage | undefined,
  signal: AbortSignal,
  tasks: SensorTask[],
): CallbackContext {
  return {
    etype,
    oid: callback?.oid ?? '',
    jwt: callback?.jwt ?? '',
    mid: callback?.mid ?? '',
    deadline: callback?.deadline,
    data: callback?.data ?? {},
    sid: callback?.sid ?? '',
    serviceName: callback?.serviceName ?? '',
    signal,
    task(sensor, command, replyCallback, context = '', job) {
      if (!(service instanceof InteractiveService)) {
        throw new Error(`${service.name} is not an InteractiveService: it cannot task sensors`);
      }
      if (service.replyCallbackFor(replyCallback) === undefined) {
        throw new Error(`${service.name} has no reply callback "${replyCallback}"`);
      }
      tasks.push({
        sid: sensor,
        commands: typeof command === 'string' ? [command] : [...command],
        callback: replyCallback,
        context,
        jobId: job?.id ?? '',
      });
    },
  };
}

/** A handler answer for one callback; what a thrown error becomes is the handler's own message. */
async function answer(
  service: LcService,
  etype: string,
  fn: Callback | undefined,
  ctx: CallbackContext,
  tasks: SensorTask[],
): Promise<CallbackResult> {
  if (fn === undefined) {
    throw new ServerError(GrpcStatus.UNIMPLEMENTED, `${service.name} does not implement ${etype}`);
  }
  let result;
  try {
    result = await fn(ctx);
  } catch (err) {
    // The error (message and stack) stays in this process's log, under an id the answer names.
    const errorId = createLogger(service.name).failure(`${etype} failed`, err);
    throw new ServerError(GrpcStatus.INTERNAL, `${etype} failed (error id ${errorId})`);
  }
  if (isNotImplemented(result)) {
    throw new ServerError(GrpcStatus.UNIMPLEMENTED, `${service.name} does not implement ${etype}`);
  }
  const out = toResult(result);
  return { ...out, tasks: [...out.tasks, ...tasks] };
}

/** OnTaskReply: the reply callback the task named, with its event, job and context. */
function replyAnswer(
  service: LcService,
  req: OnTaskReplyRequest,
  signal: AbortSignal,
): Promise<CallbackResult> {
  const name = req.replyCallback;
  const fn = service instanceof InteractiveService ? service.replyCallbackFor(name) : undefined;
  const tasks: SensorTask[] = [];
  const base = contextFor(service, 'detection', req.callback, signal, tasks);
  const ctx: ReplyContext = {
    ...base,
    event: req.event ?? {},
    job: req.jobId === '' ? undefined : new Job('', req.jobId),
    context: req.context,
  };
  const call: Callback | undefined = fn === undefined ? undefined : () => fn(ctx);
  return answer(service, `reply callback ${name}`, call, ctx, tasks);
}

/** `service` as the checkwire.lc.v1.LcHandlerService binding of a gRPC server (`token` as below). */
export function lcHandlerBinding(service: LcService, token: string | undefined): ServiceBinding {
  const guarded = tokenGuard('serveLcService', token);
  const implementation: Record<string, unknown> = {
    describe: guarded(() => Promise.resolve(service.describe())),
  };
  for (const [etype, method] of Object.entries(HANDLER_ETYPES)) {
    implementation[method] = guarded<{ callback?: CallbackMessage }, { result: CallbackResult }>(
      async (req, context) => {
        const tasks: SensorTask[] = [];
        const ctx = contextFor(service, etype, req.callback, context.signal, tasks);
        return { result: await answer(service, etype, service.callbackFor(etype), ctx, tasks) };
      },
    );
  }
  implementation.onTaskReply = guarded<OnTaskReplyRequest, OnTaskReplyResponse>(
    async (req, context) => ({ result: await replyAnswer(service, req, context.signal) }),
  );
  return {
    name: 'checkwire.lc.v1.LcHandlerService',
    definition: LcHandlerServiceService,
    implementation: implementation as unknown as LcHandlerServiceServer,
  };
}

/** Serves `service` as checkwire.lc.v1.LcHandlerService, for an LC gateway to call. */
export async function serveLcService(
  service: LcService,
  options: ServeOptions = {},
): Promise<RunningGrpcServer> {
  return serveBindings([lcHandlerBinding(service, options.token)], options);
}
