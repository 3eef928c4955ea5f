import {
  Client,
  credentials as grpcCredentials,
  Metadata,
  type ChannelCredentials,
  type ClientOptions,
  type MethodDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { isGrpcError } from './grpc-error.js';
import { CLIENT_KEEPALIVE_OPTIONS } from './keepalive.js';
import { CLIENT_LOAD_BALANCING_OPTIONS } from './load-balancing.js';
import { resendRefused, resendRefusedStream } from './refused-stream.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';
import { asServerUnreachable } from './server-unreachable.js';
import { messagesOf } from './stream-messages.js';

export interface CallOptions {
  /**
   * Milliseconds until the call fails with DEADLINE_EXCEEDED (`Infinity`: never). A unary call
   * that sets none gets the client's `defaultDeadlineMs`; a server stream gets none, as a watch
   * is meant to stay open (keepalive pings notice a dead server instead, see keepalive.ts).
   * @default defaultDeadlineMs (10000) for unary calls, none for server streams
   */
  deadlineMs?: number;
  metadata?: Metadata;
  /**
   * The bearer token of this call, in place of the client's (a server acting for many callers,
   * e.g. the console, shares one channel). `metadata`'s own authorization wins over both.
   */
  token?: string;
  /** Cancels the call (CANCELLED). */
  signal?: AbortSignal;
  /** Receives the response's metadata (headers, and trailers of a failed call). */
  onMetadata?: (metadata: Metadata) => void;
  /**
   * Retry on UNAVAILABLE / RESOURCE_EXHAUSTED, within the deadline. Only for idempotent calls
   * (a read, or a write with a request_id): the caller says so. Unary calls only. @default false
   */
  retry?: boolean | Partial<RetryPolicy>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- type-level matching of any message type */
type AnyMethod = MethodDefinition<any, any>;
type RequestOf<M> = M extends MethodDefinition<infer Req, any> ? Req : never;
type ResponseOf<M> = M extends MethodDefinition<any, infer Res> ? Res : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- as ts-proto's DeepPartial
type Builtin = Date | Function | Uint8Array | string | number | boolean | undefined;

/**
 * A message with any field left out, at any depth (ts-proto's DeepPartial): what a client may
 * send, as the definitions from @checkwire/proto fill in the protobuf defaults.
 */
export type DeepPartial<T> = T extends Builtin
  ? T
  : T extends readonly (infer U)[]
    ? DeepPartial<U>[]
    : T extends { $case: string; value: unknown }
      ? { $case: T['$case']; value?: DeepPartial<T['value']> }
      : T extends object
        ? { [K in keyof T]?: DeepPartial<T[K]> }
        : Partial<T>;

/** A promise/async-iterable view of a generated service definition (unary and server-stream). */
export type PromiseClient<D> = {
  [K in keyof D]: D[K] extends { responseStream: true }
    ? (
        request: DeepPartial<RequestOf<D[K]>>,
        options?: CallOptions,
      ) => AsyncIterable<ResponseOf<D[K]>>
    : (request: DeepPartial<RequestOf<D[K]>>, options?: CallOptions) => Promise<ResponseOf<D[K]>>;
} & { close(): void };

/** Deadline of a unary call that sets none, unless the client sets `defaultDeadlineMs`. */
export const DEFAULT_DEADLINE_MS = 10_000;

export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface ClientConnectOptions {
  /** Channel credentials; overrides `tls`. @default insecure (or TLS when `tls` is given) */
  credentials?: ChannelCredentials;
  /** Connect over TLS: the CA to trust (system roots when absent) and a client cert for mTLS. */
  tls?: ClientTls;
  /** API token sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** Deadline of this client's unary calls that set none. @default DEFAULT_DEADLINE_MS (10 s) */
  defaultDeadlineMs?: number;
  /** grpc-js channel options, over `CLIENT_KEEPALIVE_OPTIONS`, `CLIENT_LOAD_BALANCING_OPTIONS`. */
  channelOptions?: Partial<ClientOptions>;
}

function channelCredentials(options: ClientConnectOptions): ChannelCredentials {
  if (options.credentials !== undefined) return options.credentials;
  if (options.tls === undefined) return grpcCredentials.createInsecure();
  const { ca, cert, key } = options.tls;
  return grpcCredentials.createSsl(ca ?? null, key ?? null, cert ?? null);
}

/** The call's metadata, with the call's or else the client's token unless it sets its own. */
function metadataFor(o: CallOptions, clientToken: string | undefined): Metadata {
  const token = o.token ?? clientToken;
  const metadata = o.metadata?.clone() ?? new Metadata();
  if (token !== undefined && metadata.get('authorization').length === 0) {
    metadata.set('authorization', `Bearer ${token}`);
  }
  return metadata;
}

/**
 * Connects to `address` and exposes every method of `definition` as a promise (unary) or an async
 * iterable (server stream). Unary calls always carry a deadline (`defaultDeadlineMs`); streams
 * carry one when the call asks. Every channel pings its connection (`CLIENT_KEEPALIVE_OPTIONS`)
 * and takes turns over every address its name resolves to (`CLIENT_LOAD_BALANCING_OPTIONS`:
 * `dns:///checkwire-scoring:50051` reaches every replica behind a headless Service); a call the
 * server refused unprocessed is sent again (`REFUSED_STREAM_ATTEMPTS`). A call that gets no
 * connection fails with a `ServerUnreachableError` (same status code).
 */
export function createPromiseClient<D extends Record<string, AnyMethod>>(
  definition: D,
  address: string,
  options: ClientConnectOptions = {},
): PromiseClient<D> {
  const client = new Client(address, channelCredentials(options), {
    ...CLIENT_KEEPALIVE_OPTIONS,
    ...CLIENT_LOAD_BALANCING_OPTIONS,
    ...options.channelOptions,
  });
  const defaultDeadlineMs = options.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS;
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const [name, method] of Object.entries(definition)) {
    const once = (request: unknown, o: CallOptions, deadline: number, deadlineMs: number) =>
      new Promise((resolve, reject) => {
        const call = client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          metadataFor(o, options.token),
          { deadline },
          (err: ServiceError | null, response: unknown) => {
            o.signal?.removeEventListener('abort', cancel);
            if (err) {
              o.onMetadata?.(err.metadata);
              reject(asServerUnreachable(err, address, deadlineMs));
            } else {
              resolve(response);
            }
          },
        );
        const cancel = () => call.cancel();
        if (o.onMetadata !== undefined) call.on('metadata', o.onMetadata);
        // Removed when the call ends: a signal shared by many calls must not collect listeners.
        o.signal?.addEventListener('abort', cancel, { once: true });
      });
    if (method.responseStream) {
      const open = (request: unknown, o: CallOptions, deadline: number) => {
        const call = client.makeServerStreamRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          metadataFor(o, options.token),
          { deadline },
        );
        const cancel = () => call.cancel();
        o.signal?.addEventListener('abort', cancel, { once: true });
        call.once('status', () => o.signal?.removeEventListener('abort', cancel));
        return messagesOf(call, (err) =>
          isGrpcError(err) ? asServerUnreachable(err, address, o.deadlineMs) : err,
        );
      };
      methods[name] = (request: unknown, o: CallOptions = {}) => {
        const deadline = o.deadlineMs === undefined ? Infinity : Date.now() + o.deadlineMs;
        // A stream refused before it started (a connection reaching its age) is opened again.
        return resendRefusedStream(() => open(request, o, deadline), o.signal);
      };
    } else {
      methods[name] = (request: unknown, o: CallOptions = {}) => {
        const deadlineMs = o.deadlineMs ?? defaultDeadlineMs;
        const deadline = Date.now() + deadlineMs;
        // A call refused unprocessed (a connection reaching its age) is sent again, whatever it is.
        const attempt = (d: number) =>
          resendRefused(() => once(request, o, d, deadlineMs), o.signal);
        if (o.retry === undefined || o.retry === false) return attempt(deadline);
        const policy = { ...DEFAULT_RETRY_POLICY, ...(o.retry === true ? {} : o.retry) };
        return withRetry(attempt, deadline, policy);
      };
    }
  }
  return methods as PromiseClient<D>;
}
