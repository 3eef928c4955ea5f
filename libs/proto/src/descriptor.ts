import { readFileSync } from 'node:fs';

/** The FileDescriptorSet of every Checkwire proto (for gRPC server reflection). */
export function loadDescriptorSet(): Buffer {
  return readFileSync(new URL('./gen/descriptor.binpb', import.meta.url));
}
