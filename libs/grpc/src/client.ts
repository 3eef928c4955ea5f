import {
  Client,
  credentials as grpcCredentials,
  Metadata,
  type ChannelCredentials,
  type ClientOptions,
  type MethodDefinition,
  type ServiceError,
  type status,
} from '@grpc/grpc-js';

export interface CallOptions {
  /** Milliseconds until the call fails with DEADLINE_EXCEEDED. @default 10000 */
  deadlineMs?: number;
  metadata?: Metadata;
  /** Cancels the call (CANCELLED). */
  signal?: AbortSignal;
  /** Receives the response's metadata (headers, and trailers of a failed call). */
  onMetadata?: (metadata: Metadata) => void;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- type-level matching of any message type */
type AnyMethod = MethodDefinition<any, any>;
type RequestOf<M> = M extends MethodDefinition<infer Req, any> ? Req : never;
type ResponseOf<M> = M extends MethodDefinition<any, infer Res> ? Res : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A promise/async-iterable view of a generated service definition (unary and server-stream). */
export type PromiseClient<D> = {
  [K in keyof D]: D[K] extends { responseStream: true }
    ? (request: RequestOf<D[K]>, options?: CallOptions) => AsyncIterable<ResponseOf<D[K]>>
    : (request: RequestOf<D[K]>, options?: CallOptions) => Promise<ResponseOf<D[K]>>;
} & { close(): void };

export const DEFAULT_DEADLINE_MS = 10_000;

export interface ClientConnectOptions {
  /** @default insecure */
  credentials?: ChannelCredentials;
  channelOptions?: Partial<ClientOptions>;
}

/**
 * Connects to `address` and exposes every method of `definition` as a promise (unary) or an async
 * iterable (server stream). Every call carries a deadline.
 */
export function createPromiseClient<D extends Record<string, AnyMethod>>(
  definition: D,
  address: string,
  options: ClientConnectOptions = {},
): PromiseClient<D> {
  const client = new Client(
    address,
    options.credentials ?? grpcCredentials.createInsecure(),
    options.channelOptions,
  );
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const [name, method] of Object.entries(definition)) {
    const callOptions = (o: CallOptions = {}) => ({
      deadline: Date.now() + (o.deadlineMs ?? DEFAULT_DEADLINE_MS),
    });
    if (method.responseStream) {
      methods[name] = (request: unknown, o: CallOptions = {}) => {
        const call = client.makeServerStreamRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          o.metadata ?? new Metadata(),
          callOptions(o),
        );
        o.signal?.addEventListener('abort', () => call.cancel(), { once: true });
        return call;
      };
    } else {
      methods[name] = (request: unknown, o: CallOptions = {}) =>
        new Promise((resolve, reject) => {
          const call = client.makeUnaryRequest(
            method.path,
            method.requestSerialize,
            method.responseDeserialize,
            request,
            o.metadata ?? new Metadata(),
            callOptions(o),
            (err: ServiceError | null, response: unknown) => {
              if (err) {
                o.onMetadata?.(err.metadata);
                reject(err);
              } else {
                resolve(response);
              }
            },
          );
          if (o.onMetadata !== undefined) call.on('metadata', o.onMetadata);
          o.signal?.addEventListener('abort', () => call.cancel(), { once: true });
        });
    }
  }
  return methods as PromiseClient<D>;
}

/** True when `err` is a gRPC error with this status code. */
export function isGrpcError(err: unknown, code?: status): err is ServiceError {
  if (typeof err !== 'object' || err === null || !('code' in err) || !('details' in err)) {
    return false;
  }
  return code === undefined || (err as ServiceError).code === code;
}
