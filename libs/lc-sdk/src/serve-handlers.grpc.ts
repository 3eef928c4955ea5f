import type { RunningGrpcServer } from '@checkwire/grpc';
import type { Extension } from './extension.js';
import type { LcService } from './lc-service.js';
import { serveBindings } from './serve-bindings.grpc.js';
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
  return serveBindings(
    [
      lcHandlerBinding(handlers.service, options.token),
      extensionBinding(handlers.extension, options.token),
    ],
    options,
  );
}
