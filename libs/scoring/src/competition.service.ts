import type { Principal } from '@checkwire/auth';
import type { Db } from '@checkwire/db';
import { actorToken } from './actor.js';
import { appendAudit } from './audit.repository.js';
import {
  DEFAULT_PASSWORD_CHANGES,
  planCompetition,
  type Change,
  type DesiredCompetition,
  type Step,
} from './competition-plan.js';
import {
  disableService,
  insertPool,
  insertService,
  insertTeam,
  lockCompetition,
  readCompetition,
  readHeldCredentials,
  setTeamDisabled,
  updateService,
  writeSettings,
} from './competition.repository.js';
import { validCompetition, type CompetitionDraft } from './competition-rules.js';
import { replaceCredentials } from './credential-pool.repository.js';
import { keepHeldCredentials } from './held-credentials.js';
import { SLA_OFF } from './sla-rule.js';
import type { StatusNotifier } from './status-notifier.js';

export interface ApplyOutcome {
  changes: Change[];
  applied: boolean;
  unchanged: number;
  /** Credentials kept from applied password change requests where the file said otherwise. */
  kept: string[];
}

/** Competition as code: apply a whole competition in one transaction, or export it. */
export class Competitions {
  constructor(
    private readonly db: Db,
    private readonly notifier: StatusNotifier,
  ) {}

  /**
   * Makes the database match `draft` (or, with `dryRun`, says what that would change). All or
   * nothing: a refused draft or a failed write leaves everything as it was.
   */
  async apply(p: Principal, draft: CompetitionDraft, dryRun: boolean): Promise<ApplyOutcome> {
    const declared = validCompetition(draft);
    const touched: number[] = [];
    const outcome = await this.db.transaction().execute(async (trx) => {
      await lockCompetition(trx);
      const current = await readCompetition(trx);
      const { desired, kept } = keepHeldCredentials(
        current,
        declared,
        await readHeldCredentials(trx),
      );
      const plan = planCompetition(current, desired);
      const changes = plan.steps.map((s) => s.change);
      if (dryRun || plan.steps.length === 0) {
        return { changes, applied: false, unchanged: plan.unchanged, kept };
      }
      const pools = new Map(current.pools.map((p) => [p.name, p.id]));
      const teams = new Map(current.teams.map((t) => [t.name, t.id]));
      const poolId = (name: string) => (name === '' ? null : pools.get(name)!);
      for (const step of plan.steps) {
        const id = await carryOut(trx, step, pools, teams, poolId);
        if (id !== undefined) touched.push(id);
      }
      // On the record, with the changes as the caller was shown them (secrets never in them).
      await appendAudit(trx, {
        tokenId: actorToken(p),
        action: 'apply_competition',
        subject: `competition "${declared.name}"`,
        reason: `applied a competition file: ${changes.length} changes`,
        before: null,
        after: { changes, unchanged: plan.unchanged, kept },
      });
      return { changes, applied: true, unchanged: plan.unchanged, kept };
    });
    for (const id of touched) this.notifier.changed(id);
    return outcome;
  }

  /** The competition as it stands, disabled teams and services left out. */
  async export(): Promise<DesiredCompetition> {
    const current = await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => readCompetition(trx));
    const live = current.services.filter((s) => !s.disabled);
    return {
      name: current.settings?.name ?? 'Checkwire competition',
      checks: {
        interval_seconds: current.settings?.interval_seconds ?? 0,
        jitter_seconds: current.settings?.jitter_seconds ?? 0,
        timeout_seconds: current.settings?.timeout_seconds ?? 0,
        retries: current.settings?.retries ?? 0,
      },
      password_changes: current.settings?.password_changes ?? DEFAULT_PASSWORD_CHANGES,
      sla: current.settings?.sla ?? SLA_OFF,
      pools: current.pools.map(({ name, credentials }) => ({ name, credentials })),
      teams: current.teams
        .filter((t) => !t.disabled)
        .map((t) => ({
          name: t.name,
          services: live
            .filter((s) => s.team_id === t.id)
            .map(({ id: _id, team_id: _team, disabled: _disabled, ...service }) => service),
        })),
    };
  }
}

/** One step's writes; the id of the service it created or changed, if any. */
async function carryOut(
  trx: Db,
  step: Step,
  pools: Map<string, number>,
  teams: Map<string, number>,
  poolId: (name: string) => number | null,
): Promise<number | undefined> {
  switch (step.op) {
    case 'settings':
      await writeSettings(trx, step.name, step.checks, step.passwordChanges, step.sla);
      return undefined;
    case 'create_pool':
      pools.set(step.pool.name, await insertPool(trx, step.pool.name, step.pool.credentials));
      return undefined;
    case 'update_pool':
      await replaceCredentials(trx, step.id, step.credentials);
      return undefined;
    case 'create_team':
      teams.set(step.name, await insertTeam(trx, step.name));
      return undefined;
    case 'enable_team':
    case 'disable_team':
      await setTeamDisabled(trx, step.id, step.op === 'disable_team');
      return undefined;
    case 'create_service':
      return insertService(trx, teams.get(step.team)!, step.service, poolId);
    case 'update_service':
      await updateService(trx, step.id, step.patch, step.enable, poolId);
      return step.id;
    case 'disable_service':
      await disableService(trx, step.id);
      return step.id;
  }
}
