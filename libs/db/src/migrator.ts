import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as createScoring from './migrations/2026_11_24_0001_create_scoring.js';
import * as notifyFromApp from './migrations/2026_11_24_0002_notify_status_from_app.js';
import * as checkRunTrace from './migrations/2026_11_24_0003_check_run_trace.js';
import * as apiToken from './migrations/2026_11_25_0004_api_token.js';
import * as jobs from './migrations/2026_11_25_0005_jobs.js';
import * as scheduler from './migrations/2026_11_25_0006_scheduler.js';
import * as jobDelivery from './migrations/2026_11_25_0007_job_delivery.js';
import * as lcGatewayRole from './migrations/2026_11_25_0008_lc_gateway_role.js';
import * as jobDeliveryLease from './migrations/2026_12_01_0009_job_delivery_lease.js';
import * as schedulerRole from './migrations/2026_12_01_0010_scheduler_role.js';
import * as checkTaskVerdict from './migrations/2026_12_01_0011_check_task_verdict.js';
import * as competition from './migrations/2026_12_01_0012_competition.js';
import * as roundsAndTotals from './migrations/2026_12_01_0013_rounds_and_totals.js';
import * as auditAndAdjustments from './migrations/2026_12_01_0014_audit_and_adjustments.js';
import * as passwordChanges from './migrations/2026_12_01_0015_password_changes.js';
import * as partialScoresAndSla from './migrations/2026_12_02_0016_partial_scores_and_sla.js';
import * as poolPasswordChanges from './migrations/2026_12_02_0017_pool_password_changes.js';
import * as runnerPools from './migrations/2026_12_02_0018_runner_pools.js';
import * as checkSettings from './migrations/2026_12_02_0019_check_settings.js';
import * as lcContinuation from './migrations/2026_12_03_0020_lc_continuation.js';
import * as continuationUnanswered from './migrations/2026_12_03_0021_continuation_unanswered.js';
import * as continuationListIndex from './migrations/2026_12_03_0022_continuation_list_index.js';

/** Every migration, by name; names sort in the order they apply. Listed, not globbed, so bundles keep them. */
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_24_0001_create_scoring': createScoring,
  '2026_11_24_0002_notify_status_from_app': notifyFromApp,
  '2026_11_24_0003_check_run_trace': checkRunTrace,
  '2026_11_25_0004_api_token': apiToken,
  '2026_11_25_0005_jobs': jobs,
  '2026_11_25_0006_scheduler': scheduler,
  '2026_11_25_0007_job_delivery': jobDelivery,
  '2026_11_25_0008_lc_gateway_role': lcGatewayRole,
  '2026_12_01_0009_job_delivery_lease': jobDeliveryLease,
  '2026_12_01_0010_scheduler_role': schedulerRole,
  '2026_12_01_0011_check_task_verdict': checkTaskVerdict,
  '2026_12_01_0012_competition': competition,
  '2026_12_01_0013_rounds_and_totals': roundsAndTotals,
  '2026_12_01_0014_audit_and_adjustments': auditAndAdjustments,
  '2026_12_01_0015_password_changes': passwordChanges,
  '2026_12_02_0016_partial_scores_and_sla': partialScoresAndSla,
  '2026_12_02_0017_pool_password_changes': poolPasswordChanges,
  '2026_12_02_0018_runner_pools': runnerPools,
  '2026_12_02_0019_check_settings': checkSettings,
  '2026_12_03_0020_lc_continuation': lcContinuation,
  '2026_12_03_0021_continuation_unanswered': continuationUnanswered,
  '2026_12_03_0022_continuation_list_index': continuationListIndex,
};

class StaticMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(MIGRATIONS);
  }
}

/** Applies every pending migration; throws (naming the migration) if one fails. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  // On one connection without the pool's statement_timeout: a migration may rewrite a big table.
  const { error, results } = await db.connection().execute(async (conn) => {
    await sql`SET statement_timeout = 0`.execute(conn);
    try {
      return await new Migrator({
        db: conn,
        provider: new StaticMigrationProvider(),
      }).migrateToLatest();
    } finally {
      await sql`RESET statement_timeout`.execute(conn);
    }
  });
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined) {
    const name = failed?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`migration ${name} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
