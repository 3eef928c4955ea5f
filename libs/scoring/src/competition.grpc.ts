import { checkSettingsToWire } from '@checkwire/check-settings';
import { InvalidArgumentError } from '@checkwire/errors';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import {
  CompetitionChangeKind,
  CompetitionServiceService,
  PasswordChangeMode,
  SlaModel,
  type CompetitionServiceServer,
  type SlaRule as SlaRuleProto,
  type CompetitionSpec,
  type ServiceSpec,
} from '@checkwire/proto';
import type { Access } from './access.js';
import type {
  ChangeKind,
  DesiredCompetition,
  DesiredService,
  PasswordChangePolicy,
} from './competition-plan.js';
import type { CompetitionDraft, ServiceSpecDraft } from './competition-rules.js';
import type { SlaDraft, SlaRule } from './sla-rule.js';
import { COMPETITION_POLICY } from './competition.policy.js';
import type { Competitions } from './competition.service.js';

const KIND: Record<ChangeKind, CompetitionChangeKind> = {
  create: CompetitionChangeKind.COMPETITION_CHANGE_KIND_CREATE,
  update: CompetitionChangeKind.COMPETITION_CHANGE_KIND_UPDATE,
  disable: CompetitionChangeKind.COMPETITION_CHANGE_KIND_DISABLE,
  enable: CompetitionChangeKind.COMPETITION_CHANGE_KIND_ENABLE,
};

const SLA_FROM_PROTO = new Map<SlaModel, SlaRule['model']>([
  [SlaModel.SLA_MODEL_OFF, 'off'],
  [SlaModel.SLA_MODEL_FLAT, 'flat'],
  [SlaModel.SLA_MODEL_ADDITIVE, 'additive'],
  [SlaModel.SLA_MODEL_EXPONENTIAL, 'exponential'],
]);
const SLA_TO_PROTO = new Map([...SLA_FROM_PROTO].map(([k, v]) => [v, k]));

/** Unset (or model UNSPECIFIED): undefined. */
function slaFromProto(r: SlaRuleProto | undefined, at: string): SlaDraft | undefined {
  if (r === undefined || r.model === SlaModel.SLA_MODEL_UNSPECIFIED) return undefined;
  const model = SLA_FROM_PROTO.get(r.model);
  if (model === undefined) throw new InvalidArgumentError(`${at}model`, `unknown model ${r.model}`);
  return {
    model,
    threshold: r.threshold,
    penalty: r.penalty,
    growth: r.growth,
    max_penalty: r.maxPenalty,
  };
}

function slaToProto(r: SlaRule): SlaRuleProto {
  return {
    model: SLA_TO_PROTO.get(r.model)!,
    threshold: r.threshold,
    penalty: r.penalty,
    growth: r.growth,
    maxPenalty: r.max_penalty,
  };
}

function serviceFromProto(s: ServiceSpec, at: string): ServiceSpecDraft {
  return {
    name: s.name,
    subtype: s.subtype,
    url: s.url,
    port: s.port,
    external: s.external,
    username: s.username,
    password: s.password,
    credential_pool: s.credentialPool,
    team_specific_info: s.teamSpecificInfo,
    protocol: s.protocol,
    http_string: s.httpString,
    team_specific: s.teamSpecific,
    public_visibility: s.publicVisibility,
    blue_visibility: s.blueVisibility,
    green_visibility: s.greenVisibility,
    red_visibility: s.redVisibility,
    score_cap: s.scoreCap,
    points: s.points,
    sla: slaFromProto(s.sla, `${at}sla.`),
    runner_pool: s.runnerPool,
    check_settings: s.checkSettings,
  };
}

function serviceToProto(s: DesiredService): ServiceSpec {
  return {
    name: s.name,
    subtype: s.subtype,
    url: s.url,
    port: s.port,
    external: s.external,
    username: s.username,
    password: s.password,
    credentialPool: s.credential_pool,
    teamSpecificInfo: s.team_specific_info,
    protocol: s.protocol,
    httpString: s.http_string,
    teamSpecific: s.team_specific,
    publicVisibility: s.public_visibility,
    blueVisibility: s.blue_visibility,
    greenVisibility: s.green_visibility,
    redVisibility: s.red_visibility,
    scoreCap: s.score_cap ?? undefined,
    points: s.points,
    sla: s.sla === null ? undefined : slaToProto(s.sla),
    runnerPool: s.runner_pool,
    checkSettings: checkSettingsToWire(s.check_settings),
  };
}

const MODE_FROM_PROTO = new Map<PasswordChangeMode, PasswordChangePolicy['mode']>([
  [PasswordChangeMode.PASSWORD_CHANGE_MODE_IMMEDIATE, 'immediate'],
  [PasswordChangeMode.PASSWORD_CHANGE_MODE_DELAY, 'delay'],
  [PasswordChangeMode.PASSWORD_CHANGE_MODE_APPROVAL, 'approval'],
]);
const MODE_TO_PROTO = new Map([...MODE_FROM_PROTO].map(([k, v]) => [v, k]));

function competitionFromProto(c: CompetitionSpec | undefined): CompetitionDraft {
  const checks = c?.checks;
  const mode = c?.passwordChanges?.mode ?? PasswordChangeMode.PASSWORD_CHANGE_MODE_UNSPECIFIED;
  if (mode !== PasswordChangeMode.PASSWORD_CHANGE_MODE_UNSPECIFIED && !MODE_FROM_PROTO.has(mode)) {
    throw new InvalidArgumentError('password_changes.mode', `unknown mode ${mode}`);
  }
  return {
    name: c?.name ?? '',
    passwordChanges: {
      mode: MODE_FROM_PROTO.get(mode),
      delaySeconds: c?.passwordChanges?.delaySeconds ?? 0,
    },
    sla: slaFromProto(c?.sla, 'sla.'),
    checks:
      checks === undefined
        ? undefined
        : {
            interval_seconds: checks.intervalSeconds,
            jitter_seconds: checks.jitterSeconds,
            timeout_seconds: checks.timeoutSeconds,
            retries: checks.retries,
          },
    pools: (c?.credentialPools ?? []).map((p) => ({ name: p.name, credentials: p.credentials })),
    teams: (c?.teams ?? []).map((t, i) => ({
      name: t.name,
      services: t.services.map((s, j) => serviceFromProto(s, `teams[${i}].services[${j}].`)),
    })),
  };
}

function competitionToProto(c: DesiredCompetition): CompetitionSpec {
  return {
    name: c.name,
    checks: {
      intervalSeconds: c.checks.interval_seconds,
      jitterSeconds: c.checks.jitter_seconds,
      timeoutSeconds: c.checks.timeout_seconds,
      retries: c.checks.retries,
    },
    credentialPools: c.pools,
    passwordChanges: {
      mode: MODE_TO_PROTO.get(c.password_changes.mode)!,
      delaySeconds: c.password_changes.delay_seconds,
    },
    sla: slaToProto(c.sla),
    teams: c.teams.map((t) => ({ name: t.name, services: t.services.map(serviceToProto) })),
  };
}

/** gRPC edge of checkwire.scoring.v1.CompetitionService (admin only). */
export function competitionServiceBinding(
  competitions: Competitions,
  access: Access,
): ServiceBinding {
  const implementation: CompetitionServiceServer = {
    applyCompetition: unary(
      access.unary(COMPETITION_POLICY, 'applyCompetition', async (req, _context, p) => {
        const outcome = await competitions.apply(
          p,
          competitionFromProto(req.competition),
          req.dryRun,
        );
        return {
          changes: outcome.changes.map((c) => ({ ...c, kind: KIND[c.kind] })),
          applied: outcome.applied,
          unchanged: outcome.unchanged,
          kept: outcome.kept,
        };
      }),
    ),
    exportCompetition: unary(
      access.unary(COMPETITION_POLICY, 'exportCompetition', async () => ({
        competition: competitionToProto(await competitions.export()),
      })),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.CompetitionService',
    definition: CompetitionServiceService,
    implementation,
  };
}
