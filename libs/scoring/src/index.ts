export { ScoringApp } from './scoring.app.js';
export type { ScoringAppOptions } from './scoring.app.js';
