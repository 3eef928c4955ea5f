import type { Kysely } from 'kysely';
import type { ApiTokenTable } from './tables/api-token.table.js';
import type { JobEntryTable, JobTable } from './tables/job.table.js';
import type {
  CheckTaskTable,
  RunnerPresenceTable,
  LcContinuationTable,
  LcDeliveryTable,
  LcOrgTable,
  LcSensorTable,
  ScheduleFireTable,
} from './tables/scheduler.table.js';
import type { CompetitionTable } from './tables/competition.table.js';
import type {
  RoundTable,
  ServiceRoundTable,
  ServiceTotalTable,
} from './tables/scoreboard.table.js';
import type { AdjustmentTable, AuditLogTable } from './tables/audit.table.js';
import type { PasswordChangeTable } from './tables/password-change.table.js';
import type { CheckRunTable } from './tables/check-run.table.js';
import type { CredentialPoolTable, CredentialTable } from './tables/credential-pool.table.js';
import type { ScoreTable } from './tables/score.table.js';
import type { ServiceErrorTable } from './tables/service-error.table.js';
import type { ServiceTable } from './tables/service.table.js';
import type { TeamTable } from './tables/team.table.js';

/** Every table Checkwire owns, as kysely sees them. */
export interface Database {
  team: TeamTable;
  credential_pool: CredentialPoolTable;
  credential: CredentialTable;
  service: ServiceTable;
  check_run: CheckRunTable;
  score: ScoreTable;
  service_error: ServiceErrorTable;
  api_token: ApiTokenTable;
  job: JobTable;
  job_entry: JobEntryTable;
  lc_org: LcOrgTable;
  lc_sensor: LcSensorTable;
  schedule_fire: ScheduleFireTable;
  lc_delivery: LcDeliveryTable;
  lc_continuation: LcContinuationTable;
  check_task: CheckTaskTable;
  runner_presence: RunnerPresenceTable;
  competition: CompetitionTable;
  round: RoundTable;
  service_round: ServiceRoundTable;
  service_total: ServiceTotalTable;
  audit_log: AuditLogTable;
  adjustment: AdjustmentTable;
  password_change: PasswordChangeTable;
}

/** A connection pool or a transaction: repositories take either as their first argument. */
export type Db = Kysely<Database>;
