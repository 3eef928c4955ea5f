import {
  status,
  type Server,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';

/** The services a ReflectionService adds, caught instead of served. */
function servicesOf(reflection: ReflectionService): Map<string, UntypedServiceImplementation> {
  const added = new Map<string, UntypedServiceImplementation>();
  const catcher = {
    addService(definition: ServiceDefinition, implementation: UntypedServiceImplementation) {
      added.set(serviceNameOf(definition), implementation);
    },
  };
  reflection.addToServer(catcher);
  return added;
}

/** `grpc.reflection.v1.ServerReflection`, from a method's path. */
function serviceNameOf(definition: ServiceDefinition): string {
  return Object.values(definition)[0]!.path.split('/')[1]!;
}

/**
 * gRPC server reflection (v1 and v1alpha) over `descriptorSet`, indexed on its first call:
 * decoding and indexing every Checkwire proto takes about a second, which every app would
 * otherwise spend at start for a service only people with grpcurl call. That first call holds
 * the event loop for that second, once per process.
 */
export function addLazyReflection(server: Server, descriptorSet: Buffer): void {
  let real: Map<string, UntypedServiceImplementation> | undefined;
  const implementationOf = (service: string) => {
    real ??= servicesOf(new ReflectionService(loadFileDescriptorSetFromBuffer(descriptorSet)));
    return real.get(service)!;
  };
  // An empty package gives the same service definitions at no indexing cost.
  const catcher = {
    addService(definition: ServiceDefinition) {
      const service = serviceNameOf(definition);
      const handlers = Object.fromEntries(
        Object.keys(definition).map((method) => [
          method,
          (call: { emit(event: 'error', status: object): void }, callback: unknown) => {
            let implementation: UntypedServiceImplementation;
            try {
              implementation = implementationOf(service);
            } catch (err) {
              // A descriptor set that cannot be indexed fails the reflection call, not the server.
              const details = `reflection is unavailable: ${err instanceof Error ? err.message : String(err)}`;
              call.emit('error', { code: status.INTERNAL, details });
              return;
            }
            (implementation[method] as (c: unknown, cb: unknown) => void)(call, callback);
          },
        ]),
      );
      server.addService(definition, handlers);
    },
  };
  new ReflectionService({}).addToServer(catcher);
}
