export { ConfigError, envBool, envInt, envOptional, envString } from './env.js';
export { envTls } from './tls.js';
export type { TlsFiles } from './tls.js';
