import type { MethodDefinition } from '@grpc/grpc-js';

/** A unary method that carries raw bytes both ways: the transport with no work behind it. */
export const ECHO_METHOD: MethodDefinition<Buffer, Buffer> = {
  path: '/checkwire.bench.Echo/Echo',
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};
