export { ConfigError, envBool, envInt, envOptional, envString } from './env.js';
export { envClientTls, envTls } from './tls.js';
export type { ClientTlsFiles, TlsFiles } from './tls.js';
