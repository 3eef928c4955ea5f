import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import {
  PasswordChangeMode,
  PasswordChangeServiceService,
  PasswordChangeState,
  Role,
} from '@checkwire/proto';
import { grpcError, startHarness, type Harness } from './harness.js';

// Password change requests on a real server: a blue team asks for its own services only; the
// competition's policy (approval, immediate, delay) decides when the checks use the new
// credentials; every step is in the audit log, never a password.

let h: Harness;
let blueA: ReturnType<typeof pcrClient>;
const service = { A: 0, B: 0 };
const { PENDING, APPLIED, REJECTED } = {
  PENDING: PasswordChangeState.PASSWORD_CHANGE_STATE_PENDING,
  APPLIED: PasswordChangeState.PASSWORD_CHANGE_STATE_APPLIED,
  REJECTED: PasswordChangeState.PASSWORD_CHANGE_STATE_REJECTED,
};

const pcrClient = (token: string) =>
  createPromiseClient(PasswordChangeServiceService, h.app.address, { token });

async function policy(mode: PasswordChangeMode, delaySeconds = 0): Promise<void> {
  await h.competitions.applyCompetition({
    competition: {
      name: 'PCR Cup',
      passwordChanges: { mode, delaySeconds },
      teams: ['A', 'B'].map((name) => ({
        name,
        services: [
          {
            name: 'ssh',
            subtype: 'SSH',
            url: '10.0.0.1',
            port: 22,
            username: 'root',
            password: 'toor',
          },
        ],
      })),
    },
  });
}

const credentials = async (id: number) => {
  const { service: s } = await h.admin.getService({ id });
  return [s!.username, s!.password];
};

beforeAll(async () => {
  h = await startHarness({ passwordChangeIntervalMs: 50 });
  await policy(PasswordChangeMode.PASSWORD_CHANGE_MODE_UNSPECIFIED);
  const { teams } = await h.admin.listTeams({});
  const { services } = await h.admin.listServices({});
  for (const name of ['A', 'B'] as const) {
    const teamId = teams.find((t) => t.name === name)!.id;
    service[name] = services.find((s) => s.teamId === teamId)!.id;
  }
  const { secret } = await h.tokens.createToken({
    name: 'blue A',
    role: Role.ROLE_BLUE,
    teamId: teams.find((t) => t.name === 'A')!.id,
  });
  blueA = pcrClient(secret);
});
afterAll(async () => {
  blueA.close();
  await h.stop();
});

describe('password change requests', () => {
  it("on approval (the default): pending until the white team approves; another team's service does not exist to a blue team", async () => {
    const { passwordChange } = await blueA.requestPasswordChange({
      serviceId: service.A,
      password: 'n3w-secret',
    });
    expect(passwordChange).toMatchObject({ state: PENDING, username: 'root', password: '' });
    expect(await credentials(service.A)).toEqual(['root', 'toor']);
    expect(
      await grpcError(blueA.requestPasswordChange({ serviceId: service.B, password: 'x' })),
    ).toEqual({ code: status.NOT_FOUND, details: `service ${service.B} not found` });

    const admin = pcrClient(h.adminToken);
    const approved = await admin.decidePasswordChange({ id: passwordChange!.id, approve: true });
    expect(approved.passwordChange).toMatchObject({ state: APPLIED, password: 'n3w-secret' });
    expect(await credentials(service.A)).toEqual(['root', 'n3w-secret']);
    expect(
      await grpcError(
        admin.decidePasswordChange({ id: passwordChange!.id, approve: false, reason: 'x' }),
      ),
    ).toEqual({
      code: status.FAILED_PRECONDITION,
      details: `password change ${passwordChange!.id} is applied already`,
    });

    const second = (
      await blueA.requestPasswordChange({ serviceId: service.A, username: 'admin', password: 'p' })
    ).passwordChange!;
    expect(
      await grpcError(admin.decidePasswordChange({ id: second.id, approve: false, reason: '' })),
    ).toEqual({ code: status.INVALID_ARGUMENT, details: 'reason: must not be empty' });
    await admin.decidePasswordChange({ id: second.id, approve: false, reason: 'use the pool' });
    expect(await credentials(service.A)).toEqual(['root', 'n3w-secret']);
    admin.close();

    // The team sees its own requests, without passwords.
    const mine = await blueA.listPasswordChanges({});
    expect(mine.passwordChanges.map((c) => [c.state, c.password, c.decisionReason])).toEqual([
      [REJECTED, '', 'use the pool'],
      [APPLIED, '', 'approved'],
    ]);
    const log = await h.adjustments.listAuditLog({ pageSize: 10 });
    expect(log.entries.slice(0, 4).map((e) => e.action)).toEqual([
      'reject_password_change',
      'request_password_change',
      'apply_password_change',
      'request_password_change',
    ]);
    expect(JSON.stringify(log.entries)).not.toContain('n3w-secret');
  });

  it('immediate: applied as it is requested', async () => {
    await policy(PasswordChangeMode.PASSWORD_CHANGE_MODE_IMMEDIATE);
    const { passwordChange } = await blueA.requestPasswordChange({
      serviceId: service.A,
      password: 'at-once',
    });
    expect(passwordChange!.state).toBe(APPLIED);
    expect(await credentials(service.A)).toEqual(['root', 'at-once']);
  });

  it('delay: pending, then applied by itself once the delay ran out', async () => {
    await policy(PasswordChangeMode.PASSWORD_CHANGE_MODE_DELAY, 1);
    const { passwordChange } = await blueA.requestPasswordChange({
      serviceId: service.A,
      password: 'later',
    });
    expect(passwordChange!.state).toBe(PENDING);
    expect(
      passwordChange!.applyTime!.getTime() - passwordChange!.requestTime!.getTime(),
    ).toBeGreaterThanOrEqual(999);
    for (let i = 0; i < 200 && (await credentials(service.A))[1] !== 'later'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await credentials(service.A)).toEqual(['root', 'later']);
    const [latest] = (await blueA.listPasswordChanges({ state: APPLIED })).passwordChanges;
    expect(latest).toMatchObject({
      id: passwordChange!.id,
      decisionReason: 'applied after the delay (policy: delay)',
    });
  });

  it('a refused policy in the competition file names its field', async () => {
    await expect(policy(PasswordChangeMode.PASSWORD_CHANGE_MODE_DELAY, 0)).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'password_changes.delay_seconds: must be 1–86400, got 0',
    });
  });
});
