export { ConfigError, envInt, envOptional, envString } from './env.js';
