export { connectDatabase, DATABASE_DEFAULTS } from './database.js';
export type { DatabaseHandle, DatabaseOptions } from './database.js';
export type { Database, Db } from './database.types.js';
export { startEmbeddedPostgres } from './embedded-postgres.js';
export type { EmbeddedPostgresOptions, RunningPostgres } from './embedded-postgres.js';
export { freePort } from './free-port.js';
export { migrateToLatest } from './migrator.js';
export { NotificationListener } from './notification-listener.js';
export { notifications, NotificationsLostError } from './notifications.js';
export type { Notifications } from './notifications.js';
export { PreparedStatement } from './prepared-statement.js';
export { retryOnConflict } from './conflict-retry.js';
export type { SqlClient } from './prepared-statement.js';
export {
  PG_CHECK_VIOLATION,
  PG_FOREIGN_KEY_VIOLATION,
  PG_UNIQUE_VIOLATION,
  pgErrorInfo,
} from './pg-error.js';
export type { PgErrorInfo } from './pg-error.js';
export { TOKEN_ROLES } from './tables/api-token.table.js';
export type { ApiTokenRow, ApiTokenTable, TokenRoleName } from './tables/api-token.table.js';
export type {
  AttachmentRecord,
  JobEntryRow,
  JobEntryTable,
  JobRow,
  JobTable,
} from './tables/job.table.js';
export type { CheckTaskRow, LcContinuationRow, LcDeliveryRow } from './tables/scheduler.table.js';
export type { CheckRunRow, CheckRunTable } from './tables/check-run.table.js';
export type {
  CredentialPoolRow,
  CredentialPoolTable,
  CredentialRow,
  CredentialTable,
} from './tables/credential-pool.table.js';
export type { ScoreRow, ScoreTable } from './tables/score.table.js';
export { SERVICE_ERROR_KINDS } from './tables/service-error.table.js';
export type {
  ServiceErrorKindName,
  ServiceErrorRow,
  ServiceErrorTable,
} from './tables/service-error.table.js';
export type { ServiceRow, ServiceTable } from './tables/service.table.js';
export { DEFAULT_SERVICE_POINTS } from './tables/service.table.js';
export type { TeamRow, TeamTable } from './tables/team.table.js';
export type { CompetitionRow, CompetitionTable, SlaModel } from './tables/competition.table.js';
export type {
  RoundRow,
  RoundStatus,
  ServiceRoundRow,
  ServiceTotalRow,
} from './tables/scoreboard.table.js';
export type { AdjustmentRow, AuditLogRow } from './tables/audit.table.js';
export type { PasswordChangeRow, PcrState } from './tables/password-change.table.js';
export type { PcrMode } from './tables/competition.table.js';
export { watchDatabaseHealth } from './database-health.js';
export type { DatabaseHealthOptions } from './database-health.js';
export { SupervisedPostgres } from './supervised-postgres.js';
