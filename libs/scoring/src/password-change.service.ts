import type { Principal } from '@checkwire/auth';
import type { Db, PasswordChangeRow, PcrState } from '@checkwire/db';
import {
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
  nonEmpty,
  requireId,
  text,
} from '@checkwire/errors';
import { actorToken } from './actor.js';
import { appendAudit } from './audit.repository.js';
import {
  decidePcr,
  insertPcr,
  listPcrs,
  lockDuePcrs,
  lockPcr,
  pcrPolicy,
  setServiceCredentials,
} from './password-change.repository.js';
import { findService } from './service.repository.js';
import type { StatusNotifier } from './status-notifier.js';
import { findTeam } from './team.repository.js';

const SHORT = 256;

/**
 * Password change requests: a blue team's for its own services only (another team's service is
 * NOT_FOUND to it, as if it did not exist); the competition's policy applies them at once, after
 * a delay, or on the white team's approval. Each step is in the audit log (never a password).
 */
export class PasswordChanges {
  constructor(
    private readonly db: Db,
    private readonly notifier: StatusNotifier,
  ) {}

  async request(
    p: Principal,
    serviceId: number,
    username: string,
    password: string,
  ): Promise<PasswordChangeRow> {
    requireId('service_id', serviceId);
    const pass = nonEmpty('password', password, SHORT);
    const user = text('username', username, SHORT);
    const row = await this.db.transaction().execute(async (trx) => {
      const service = await findService(trx, serviceId).catch(() => undefined);
      if (service === undefined || (p.role === 'blue' && service.team_id !== p.teamId)) {
        throw new NotFoundError('service', serviceId);
      }
      if (service.disabled_at !== null) {
        throw new FailedPreconditionError(
          `service ${serviceId} is no longer in the competition; its credentials are not checked`,
        );
      }
      const team = await findTeam(trx, service.team_id);
      const policy = await pcrPolicy(trx);
      const applyAfter =
        policy.mode === 'delay' ? new Date(Date.now() + policy.delaySeconds * 1000) : null;
      const pcr = await insertPcr(trx, {
        serviceId,
        teamId: service.team_id,
        username: user === '' ? service.username : user,
        password: pass,
        applyAfter,
        tokenId: p.role === 'public' ? null : p.tokenId,
      });
      const subject = `service ${serviceId} (${team.name}/${service.name})`;
      await appendAudit(trx, {
        tokenId: actorToken(p),
        action: 'request_password_change',
        subject,
        reason: `password change ${pcr.id} (policy: ${policy.mode})`,
        before: { username: service.username },
        after: { username: pcr.username, apply_after: applyAfter },
      });
      if (policy.mode !== 'immediate') return pcr;
      return apply(trx, pcr, subject, actorToken(p), 'applied at once (policy: immediate)');
    });
    if (row.state === 'applied') this.notifier.changed(serviceId);
    return row;
  }

  async decide(
    p: Principal,
    id: number,
    approve: boolean,
    reason: string,
  ): Promise<PasswordChangeRow> {
    requireId('id', id);
    const why = approve ? text('reason', reason, 1000) : nonEmpty('reason', reason, 1000);
    const row = await this.db.transaction().execute(async (trx) => {
      const pcr = await lockPcr(trx, id);
      if (pcr === undefined) throw new NotFoundError('password change', id);
      if (pcr.state !== 'pending') {
        throw new FailedPreconditionError(`password change ${id} is ${pcr.state} already`);
      }
      const subject = await subjectOf(trx, pcr);
      if (approve) return apply(trx, pcr, subject, actorToken(p), why || 'approved');
      await appendAudit(trx, {
        tokenId: actorToken(p),
        action: 'reject_password_change',
        subject,
        reason: why,
        before: { state: 'pending' },
        after: { state: 'rejected' },
      });
      return decidePcr(trx, id, 'rejected', why);
    });
    if (row.state === 'applied') this.notifier.changed(row.service_id);
    return row;
  }

  /** Applies pending 'delay' requests whose time has come; returns how many. */
  async applyDue(now = new Date()): Promise<number> {
    const applied = await this.db.transaction().execute(async (trx) => {
      const due = await lockDuePcrs(trx, now, 100);
      for (const pcr of due) {
        await apply(
          trx,
          pcr,
          await subjectOf(trx, pcr),
          pcr.requested_by ?? 0,
          'applied after the delay (policy: delay)',
        );
      }
      return due;
    });
    for (const pcr of applied) this.notifier.changed(pcr.service_id);
    return applied.length;
  }

  async list(p: Principal, state: PcrState | undefined): Promise<PasswordChangeRow[]> {
    if (p.role === 'blue') {
      const rows = await listPcrs(this.db, { teamId: p.teamId, ...(state ? { state } : {}) });
      return rows.map((r) => ({ ...r, password: '' }));
    }
    // (The policy lets only admin and blue in.)
    if (p.role !== 'admin') throw new PermissionDeniedError('only admin and blue tokens list');
    return listPcrs(this.db, state ? { state } : {});
  }
}

async function subjectOf(db: Db, pcr: PasswordChangeRow): Promise<string> {
  const service = await findService(db, pcr.service_id);
  const team = await findTeam(db, service.team_id);
  return `service ${service.id} (${team.name}/${service.name})`;
}

async function apply(
  trx: Db,
  pcr: PasswordChangeRow,
  subject: string,
  tokenId: number,
  reason: string,
): Promise<PasswordChangeRow> {
  await setServiceCredentials(trx, pcr.service_id, pcr.username, pcr.password);
  await appendAudit(trx, {
    tokenId,
    action: 'apply_password_change',
    subject,
    reason: `password change ${pcr.id}: ${reason}`,
    before: { state: pcr.state },
    after: { state: 'applied', username: pcr.username },
  });
  return decidePcr(trx, pcr.id, 'applied', reason);
}
