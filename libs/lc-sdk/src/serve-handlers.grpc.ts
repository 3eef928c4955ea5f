import { startGrpcServer, type RunningGrpcServer } from '@checkwire/grpc';
import { loadDescriptorSet } from '@checkwire/proto';
import type { Extension } from './extension.js';
import type { LcService } from './lc-service.js';
import { extensionBinding } from './serve-extension.grpc.js';
import { lcHandlerBinding, type ServeOptions } from './serve.grpc.js';

/**
 * Serves an LC service and an extension from one gRPC server (one port, one token): the gateway's
 * routes and extension routes, and the scheduler, may all name the same address.
 */
export async function serveLcHandlers(
  handlers: { service: LcService; extension: Extension },
  options: ServeOptions = {},
): Promise<RunningGrpcServer> {
  return startGrpcServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tls: options.tls,
    descriptorSet: loadDescriptorSet(),
    services: [
      lcHandlerBinding(handlers.service, options.token),
      extensionBinding(handlers.extension, options.token),
    ],
  });
}
