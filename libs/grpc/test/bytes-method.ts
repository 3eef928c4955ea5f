import type { MethodDefinition } from '@grpc/grpc-js';

const passthrough = (b: Buffer) => b;

/**
 * A test method whose messages are raw bytes (no protobuf): `/checkwire.test.<service>/<name>`,
 * unary or a server stream. The tests of this lib serve and call these on real servers.
 */
export function bytesMethod(
  service: string,
  name: string,
  responseStream = false,
): MethodDefinition<Buffer, Buffer> {
  return {
    path: `/checkwire.test.${service}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: passthrough,
    requestDeserialize: passthrough,
    responseSerialize: passthrough,
    responseDeserialize: passthrough,
  };
}
