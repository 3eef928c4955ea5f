import type { EventCompetition, EventPasswordChanges, EventService } from '@checkwire/event-file';
import { PasswordChangeMode, type CompetitionSpec, type ServiceSpec } from '@checkwire/proto';

const MODE_TO_PROTO: Record<EventPasswordChanges['mode'], PasswordChangeMode> = {
  immediate: PasswordChangeMode.PASSWORD_CHANGE_MODE_IMMEDIATE,
  delay: PasswordChangeMode.PASSWORD_CHANGE_MODE_DELAY,
  approval: PasswordChangeMode.PASSWORD_CHANGE_MODE_APPROVAL,
};

// A competition file's contents <-> the CompetitionSpec message (snake_case <-> camelCase).

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
  };
}

function serviceFromProto(s: ServiceSpec): EventService {
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
  };
}

export function competitionFromProto(c: CompetitionSpec): EventCompetition {
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
  };
}
