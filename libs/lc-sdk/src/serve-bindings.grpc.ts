import { startGrpcServer, type RunningGrpcServer, type ServiceBinding } from '@checkwire/grpc';
import { loadDescriptorSet } from '@checkwire/proto';
import type { ServeOptions } from './serve.grpc.js';

/** One gRPC server for the handler bindings, where `options` say (127.0.0.1, a free port by default). */
export function serveBindings(
  services: ServiceBinding[],
  options: ServeOptions,
): Promise<RunningGrpcServer> {
  return startGrpcServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tls: options.tls,
    descriptorSet: loadDescriptorSet(),
    services,
  });
}
