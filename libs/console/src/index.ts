export { ConsoleApp } from './console.app.js';
export type { ConsoleOptions } from './console.app.js';
