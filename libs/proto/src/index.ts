// The generated barrel lists every message, enum and service by name (see tools/codegen).
export * from './gen/index.js';
export { loadDescriptorSet } from './descriptor.js';
