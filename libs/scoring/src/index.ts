export { ScoringApp } from './scoring.app.js';
export type { ScoringAppOptions } from './scoring.app.js';
export { mintBootstrapToken } from './bootstrap-token.js';
export { ADMIN_POLICY } from './admin.policy.js';
export { COMPETITION_POLICY } from './competition.policy.js';
export { SCOREBOARD_POLICY } from './scoreboard.policy.js';
export { SCORING_POLICY } from './scoring.policy.js';
export { STATUS_POLICY } from './status.policy.js';
export { TOKEN_POLICY } from './token.policy.js';
