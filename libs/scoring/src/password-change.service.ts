import type { Principal } from '@checkwire/auth';
import type { Db, PcrState } from '@checkwire/db';
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
import { resolveTarget, subjectOf, targetOf, writeCredentials } from './password-change-target.js';
import {
  decidePcr,
  insertPcr,
  listPcrs,
  lockDuePcrs,
  lockPcr,
  pcrPolicy,
  type PcrRow,
} from './password-change.repository.js';
import type { StatusNotifier } from './status-notifier.js';

const SHORT = 256;

/**
 * Password change requests: for a service's own credentials or a credential pool entry's password
 * (see password-change-target.ts for who may ask for which); the competition's policy applies
 * them at once, after a delay, or on the white team's approval. Each step is in the audit log
 * (never a password), in the transaction that makes it.
 */
export class PasswordChanges {
  constructor(
    private readonly db: Db,
    private readonly notifier: StatusNotifier,
  ) {}

  async request(
    p: Principal,
    req: { serviceId: number; credentialPoolId: number; username: string; password: string },
  ): Promise<PcrRow> {
    const ref = targetOf(req.serviceId, req.credentialPoolId);
    const pass = nonEmpty('password', req.password, SHORT);
    const user = text('username', req.username, SHORT);
    const row = await this.db.transaction().execute(async (trx) => {
      const target = await resolveTarget(trx, p, ref, user);
      const policy = await pcrPolicy(trx);
      const applyAfter =
        policy.mode === 'delay' ? new Date(Date.now() + policy.delaySeconds * 1000) : null;
      const pcr = await insertPcr(trx, {
        serviceId: target.serviceId,
        poolId: target.poolId,
        teamId: target.teamId,
        username: target.username,
        password: pass,
        applyAfter,
        tokenId: p.role === 'public' ? null : p.tokenId,
      });
      await appendAudit(trx, {
        tokenId: actorToken(p),
        action: 'request_password_change',
        subject: target.subject,
        reason: `password change ${pcr.id} (policy: ${policy.mode})`,
        before: target.before,
        after: { username: pcr.username, apply_after: applyAfter },
      });
      if (policy.mode !== 'immediate') return pcr;
      const applied = await apply(
        trx,
        pcr,
        target.subject,
        actorToken(p),
        'applied at once (policy: immediate)',
      );
      // resolveTarget found the entry under the pool's lock: it cannot have gone.
      if (applied === undefined) throw new Error(`${target.subject} vanished under its lock`);
      return applied;
    });
    this.announce(row);
    return row;
  }

  async decide(p: Principal, id: number, approve: boolean, reason: string): Promise<PcrRow> {
    requireId('id', id);
    const why = approve ? text('reason', reason, 1000) : nonEmpty('reason', reason, 1000);
    const row = await this.db.transaction().execute(async (trx) => {
      const pcr = await lockPcr(trx, id);
      if (pcr === undefined) throw new NotFoundError('password change', id);
      if (pcr.state !== 'pending') {
        throw new FailedPreconditionError(`password change ${id} is ${pcr.state} already`);
      }
      const subject = await subjectOf(trx, pcr);
      if (!approve) return reject(trx, pcr, subject, actorToken(p), why);
      const applied = await apply(trx, pcr, subject, actorToken(p), why || 'approved');
      if (applied === undefined) {
        throw new FailedPreconditionError(
          `password change ${id}: ${subject} no longer exists (the pool's credentials were replaced since the request); reject it`,
        );
      }
      return applied;
    });
    this.announce(row);
    return row;
  }

  /**
   * Applies pending 'delay' requests whose time has come; returns how many were settled. A pool
   * request whose entry is gone meanwhile is rejected, saying so (applying it would change nothing).
   */
  async applyDue(now = new Date()): Promise<number> {
    const settled = await this.db.transaction().execute(async (trx) => {
      const due = await lockDuePcrs(trx, now, 100);
      const rows: PcrRow[] = [];
      for (const pcr of due) {
        const subject = await subjectOf(trx, pcr);
        const token = pcr.requested_by ?? 0;
        rows.push(
          (await apply(trx, pcr, subject, token, 'applied after the delay (policy: delay)')) ??
            (await reject(
              trx,
              pcr,
              subject,
              token,
              `${subject} no longer exists (the pool's credentials were replaced since the request)`,
            )),
        );
      }
      return rows;
    });
    for (const row of settled) this.announce(row);
    return settled.length;
  }

  async list(p: Principal, state: PcrState | undefined): Promise<PcrRow[]> {
    if (p.role === 'blue') {
      const rows = await listPcrs(this.db, { teamId: p.teamId, ...(state ? { state } : {}) });
      return rows.map((r) => ({ ...r, password: '' }));
    }
    // (The policy lets only admin and blue in.)
    if (p.role !== 'admin') throw new PermissionDeniedError('only admin and blue tokens list');
    return listPcrs(this.db, state ? { state } : {});
  }

  /** A service's new credentials change its row (status streams send it again); a pool's do not. */
  private announce(row: PcrRow): void {
    if (row.state === 'applied' && row.service_id !== null) this.notifier.changed(row.service_id);
  }
}

/** Applies the request, in the caller's transaction; undefined (nothing written) if its pool entry is gone. */
async function apply(
  trx: Db,
  pcr: PcrRow,
  subject: string,
  tokenId: number,
  reason: string,
): Promise<PcrRow | undefined> {
  if (!(await writeCredentials(trx, pcr))) return undefined;
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

async function reject(
  trx: Db,
  pcr: PcrRow,
  subject: string,
  tokenId: number,
  reason: string,
): Promise<PcrRow> {
  await appendAudit(trx, {
    tokenId,
    action: 'reject_password_change',
    subject,
    reason,
    before: { state: 'pending' },
    after: { state: 'rejected' },
  });
  return decidePcr(trx, pcr.id, 'rejected', reason);
}
