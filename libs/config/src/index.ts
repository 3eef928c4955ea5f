export { ConfigError, envBool, envInt, envOptional, envString } from './env.js';
