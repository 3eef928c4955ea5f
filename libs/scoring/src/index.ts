export { ScoringApp } from './scoring.app.js';
export type { ScoringAppOptions } from './scoring.app.js';
export { mintBootstrapToken } from './bootstrap-token.js';
