export { createTestDatabase } from './test-database.js';
export type { TestDatabase } from './test-database.js';
export { OtlpReceiver } from './otlp-receiver.js';
export type { ReceivedSpan } from './otlp-receiver.js';
export { serviceDraft } from './service-draft.js';
export { makeTlsFixtures } from './tls-fixtures.js';
export type { TlsFixtures } from './tls-fixtures.js';
export { ProtoArbitraries } from './proto-arbitrary.js';
