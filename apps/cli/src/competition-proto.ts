import { checkSettingsFileToWire, checkSettingsWireToFile } from '@checkwire/check-settings';
import type {
  EventCompetition,
  EventPasswordChanges,
  EventService,
  EventSla,
} from '@checkwire/event-file';
import {
  PasswordChangeMode,
  SlaModel,
  type CompetitionSpec,
  type ServiceSpec,
  type SlaRule,
} from '@checkwire/proto';

const MODE_TO_PROTO: Record<EventPasswordChanges['mode'], PasswordChangeMode> = {
  immediate: PasswordChangeMode.PASSWORD_CHANGE_MODE_IMMEDIATE,
  delay: PasswordChangeMode.PASSWORD_CHANGE_MODE_DELAY,
  approval: PasswordChangeMode.PASSWORD_CHANGE_MODE_APPROVAL,
};

const SLA_TO_PROTO: Record<EventSla['model'], SlaModel> = {
  off: SlaModel.SLA_MODEL_OFF,
  flat: SlaModel.SLA_MODEL_FLAT,
  additive: SlaModel.SLA_MODEL_ADDITIVE,
  exponential: SlaModel.SLA_MODEL_EXPONENTIAL,
};

// A competition file's contents <-> the CompetitionSpec message (snake_case <-> camelCase).

/** What the file leaves out goes as 0: the server's default. */
function slaToProto(r: EventSla | undefined): SlaRule | undefined {
  if (r === undefined) return undefined;
  return {
    model: SLA_TO_PROTO[r.model],
    threshold: r.threshold ?? 0,
    penalty: r.penalty ?? 0,
    growth: r.growth ?? 0,
    maxPenalty: r.max_penalty ?? 0,
  };
}

function slaFromProto(r: SlaRule | undefined): EventSla | undefined {
  const model = Object.entries(SLA_TO_PROTO).find(([, m]) => m === r?.model)?.[0] as
    EventSla['model'] | undefined;
  if (r === undefined || model === undefined) return undefined;
  if (model === 'off') return { model };
  return {
    model,
    threshold: r.threshold,
    penalty: r.penalty,
    ...(model === 'exponential' ? { growth: r.growth } : {}),
    max_penalty: r.maxPenalty,
  };
}

function serviceToProto(s: EventService): ServiceSpec {
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
    scoreCap: s.score_cap,
    points: s.points,
    sla: slaToProto(s.sla),
    runnerPool: s.runner_pool ?? '',
    checkSettings: checkSettingsFileToWire(s.check_settings),
  };
}

function serviceFromProto(s: ServiceSpec): EventService {
  const sla = slaFromProto(s.sla);
  const checkSettings = checkSettingsWireToFile(s.checkSettings);
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
    ...(s.scoreCap === undefined ? {} : { score_cap: s.scoreCap }),
    ...(s.points === undefined ? {} : { points: s.points }),
    ...(sla === undefined ? {} : { sla }),
    ...(s.runnerPool === '' ? {} : { runner_pool: s.runnerPool }),
    ...(checkSettings === undefined ? {} : { check_settings: checkSettings }),
  };
}

export function competitionToProto(c: EventCompetition): CompetitionSpec {
  return {
    name: c.name,
    checks: {
      intervalSeconds: c.checks.interval_seconds,
      jitterSeconds: c.checks.jitter_seconds,
      timeoutSeconds: c.checks.timeout_seconds,
      retries: c.checks.retries,
    },
    credentialPools: c.credential_pools,
    teams: c.teams.map((t) => ({ name: t.name, services: t.services.map(serviceToProto) })),
    passwordChanges: {
      mode: MODE_TO_PROTO[c.password_changes.mode],
      delaySeconds: c.password_changes.delay_seconds,
    },
    sla: slaToProto(c.sla),
  };
}

export function competitionFromProto(c: CompetitionSpec): EventCompetition {
  const sla = slaFromProto(c.sla);
  return {
    name: c.name,
    checks: {
      interval_seconds: c.checks?.intervalSeconds ?? 0,
      jitter_seconds: c.checks?.jitterSeconds ?? 0,
      timeout_seconds: c.checks?.timeoutSeconds ?? 0,
      retries: c.checks?.retries ?? 0,
    },
    credential_pools: c.credentialPools.map((p) => ({
      name: p.name,
      credentials: p.credentials.map(({ username, password }) => ({ username, password })),
    })),
    teams: c.teams.map((t) => ({ name: t.name, services: t.services.map(serviceFromProto) })),
    password_changes: {
      mode:
        (Object.entries(MODE_TO_PROTO).find(([, m]) => m === c.passwordChanges?.mode)?.[0] as
          EventPasswordChanges['mode'] | undefined) ?? 'approval',
      delay_seconds: c.passwordChanges?.delaySeconds ?? 0,
    },
    ...(sla === undefined ? {} : { sla }),
  };
}
