import type { ServiceDefinition } from '@grpc/grpc-js';
import { InvalidArgumentError } from '@checkwire/errors';

/**
 * What a request that failed to decode becomes. grpc-js answers a throwing deserializer with
 * INTERNAL; wrapping the deserializer lets the handler adapters answer INVALID_ARGUMENT instead
 * (the client sent it, the client can fix it), e.g. an int64 beyond ±2^53 that ts-proto refuses.
 */
export class UndecodableRequest {
  constructor(readonly reason: string) {}

  toError(): InvalidArgumentError {
    return new InvalidArgumentError(
      'request',
      `cannot be decoded (${this.reason}); int64 fields must lie within ±${Number.MAX_SAFE_INTEGER}`,
    );
  }
}

const CHECKS_DECODING = Symbol('checkwire.grpc.checksDecoding');

/**
 * Marks a handler that refuses undecodable requests itself (with `requireDecoded`), after work
 * that must come first: an access guard authenticates the caller before looking at the request,
 * so an anonymous caller of an admin RPC gets UNAUTHENTICATED whatever bytes it sent. Unmarked
 * handlers never see an undecodable request: the adapters refuse it before calling them.
 */
export function checksDecoding<H extends object>(handler: H): H {
  return Object.assign(handler, { [CHECKS_DECODING]: true });
}

export function handlerChecksDecoding(handler: object): boolean {
  return (handler as { [CHECKS_DECODING]?: boolean })[CHECKS_DECODING] === true;
}

/** The request, or INVALID_ARGUMENT when it did not decode (see `checksDecoding`). */
export function requireDecoded<Req>(request: Req): Req {
  const value: unknown = request;
  if (value instanceof UndecodableRequest) throw value.toError();
  return request;
}

/** The definition with every request deserializer made total. */
export function tolerantDefinition(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      {
        ...method,
        requestDeserialize: (bytes: Buffer): unknown => {
          try {
            return method.requestDeserialize(bytes);
          } catch (err) {
            return new UndecodableRequest(err instanceof Error ? err.message : String(err));
          }
        },
      },
    ]),
  );
}
