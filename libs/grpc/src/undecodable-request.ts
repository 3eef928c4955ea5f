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
