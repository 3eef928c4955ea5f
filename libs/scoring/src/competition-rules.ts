import { InvalidArgumentError, int32, nonEmpty } from '@checkwire/errors';
import { validCredentials, validFields, type ServiceDraft } from './admin.service.js';
import type {
  CheckSettings,
  DesiredCompetition,
  DesiredService,
  PasswordChangePolicy,
} from './competition-plan.js';
import type { CredentialInput } from './credential-pool.repository.js';
import { validSlaRule, type SlaDraft } from './sla-rule.js';
import type { WireServiceCheckSettings } from '@checkwire/check-settings';

// A competition document checked field by field. Every refusal names its field the way the
// competition's own structure spells it (`teams[3].services[2].port`), so a file's tooling can
// point at the line.

/** A service as a caller declares it: points, score_cap and its own SLA may be absent. */
export type ServiceSpecDraft = Omit<
  DesiredService,
  'points' | 'score_cap' | 'sla' | 'check_settings'
> & {
  /** As the request holds them (validated here); absent: none. */
  check_settings?: WireServiceCheckSettings | undefined;
  points?: number | undefined;
  score_cap?: number | undefined;
  /** Absent (or no model): the competition's. */
  sla?: SlaDraft | undefined;
};

export interface CompetitionDraft {
  name: string;
  checks: CheckSettings | undefined;
  /** undefined mode: 'approval'. */
  passwordChanges: { mode: PasswordChangePolicy['mode'] | undefined; delaySeconds: number };
  /** Absent: no SLA penalties. */
  sla: SlaDraft | undefined;
  pools: { name: string; credentials: CredentialInput[] }[];
  teams: { name: string; services: ServiceSpecDraft[] }[];
}

/** How big a competition may be: far above any event, well below what would strain a call. */
export const COMPETITION_LIMITS = Object.freeze({
  teams: 1000,
  servicesPerTeam: 200,
  pools: 1000,
  credentialsPerPool: 10_000,
});

const SHORT = 256;

function atMost(field: string, n: number, limit: number): void {
  if (n > limit) throw new InvalidArgumentError(field, `at most ${limit}, got ${n}`);
}

function within(field: string, value: number, min: number, max: number, unset = false): number {
  if (!Number.isInteger(value) || ((value < min || value > max) && !(unset && value === 0))) {
    throw new InvalidArgumentError(
      field,
      `must be ${unset ? `0 (unset) or ` : ''}${min}–${max}, got ${value}`,
    );
  }
  return value;
}

function unique(field: string, names: string[], what: string): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) {
      throw new InvalidArgumentError(`${field}[${i}].name`, `another ${what} is named "${name}"`);
    }
    seen.add(name);
  });
}

export function validCheckSettings(c: CheckSettings | undefined): CheckSettings {
  const checks = c ?? { interval_seconds: 0, jitter_seconds: 0, timeout_seconds: 0, retries: 0 };
  const interval = within('checks.interval_seconds', checks.interval_seconds, 5, 86_400, true);
  return {
    interval_seconds: interval,
    jitter_seconds: within('checks.jitter_seconds', checks.jitter_seconds, 0, interval || 86_400),
    timeout_seconds: within('checks.timeout_seconds', checks.timeout_seconds, 1, 3600, true),
    retries: within('checks.retries', checks.retries, 0, 10),
  };
}

function validService(s: ServiceSpecDraft, at: string, pools: ReadonlySet<string>): DesiredService {
  if (s.name === '') throw new InvalidArgumentError(`${at}name`, 'must not be empty');
  // The AdminService rules, minus what a competition says differently (team, pool by name).
  const { sla, ...declared } = s;
  const draft: ServiceDraft = {
    ...declared,
    team_id: 1,
    credential_pool_id: undefined,
    administratively_down: false,
    down_reason: '',
  };
  const fields = validFields(
    draft,
    [
      'name',
      'subtype',
      'url',
      'port',
      'username',
      'password',
      'team_specific_info',
      'protocol',
      'http_string',
      'score_cap',
      'points',
      'runner_pool',
      'check_settings',
    ],
    at,
  );
  if (s.credential_pool !== '' && !pools.has(s.credential_pool)) {
    throw new InvalidArgumentError(
      `${at}credential_pool`,
      `no credential pool named "${s.credential_pool}" in credential_pools`,
    );
  }
  return {
    ...declared,
    name: fields.name!,
    subtype: fields.subtype!,
    url: fields.url!,
    port: fields.port!,
    username: fields.username!,
    password: fields.password!,
    team_specific_info: fields.team_specific_info!,
    protocol: fields.protocol!,
    http_string: fields.http_string!,
    score_cap: s.score_cap === undefined ? null : int32(`${at}score_cap`, s.score_cap),
    points: fields.points!,
    runner_pool: fields.runner_pool!,
    check_settings: fields.check_settings!,
    sla: sla?.model === undefined ? null : validSlaRule(sla, `${at}sla.`),
  };
}

/** The competition, checked; the first field at fault is refused (INVALID_ARGUMENT). */
export function validCompetition(draft: CompetitionDraft): DesiredCompetition {
  const name = nonEmpty('name', draft.name, SHORT);
  const checks = validCheckSettings(draft.checks);
  const mode = draft.passwordChanges.mode ?? 'approval';
  const password_changes: PasswordChangePolicy = {
    mode,
    delay_seconds:
      mode === 'delay'
        ? within('password_changes.delay_seconds', draft.passwordChanges.delaySeconds, 1, 86_400)
        : within('password_changes.delay_seconds', draft.passwordChanges.delaySeconds, 0, 0),
  };
  const sla = validSlaRule(
    draft.sla ?? { model: undefined, threshold: 0, penalty: 0, growth: 0, max_penalty: 0 },
    'sla.',
  );
  atMost('credential_pools', draft.pools.length, COMPETITION_LIMITS.pools);
  const pools = draft.pools.map((p, i) => {
    const at = `credential_pools[${i}].`;
    atMost(`${at}credentials`, p.credentials.length, COMPETITION_LIMITS.credentialsPerPool);
    if (p.credentials.length === 0) {
      throw new InvalidArgumentError(`${at}credentials`, 'must hold at least one credential');
    }
    return {
      name: nonEmpty(`${at}name`, p.name, SHORT),
      credentials: validCredentials(p.credentials, at),
    };
  });
  unique(
    'credential_pools',
    pools.map((p) => p.name),
    'credential pool',
  );
  const poolNames = new Set(pools.map((p) => p.name));
  atMost('teams', draft.teams.length, COMPETITION_LIMITS.teams);
  const teams = draft.teams.map((t, i) => {
    const at = `teams[${i}].`;
    atMost(`${at}services`, t.services.length, COMPETITION_LIMITS.servicesPerTeam);
    const services = t.services.map((s, j) => validService(s, `${at}services[${j}].`, poolNames));
    unique(
      `${at}services`,
      services.map((s) => s.name),
      'service of this team',
    );
    return { name: nonEmpty(`${at}name`, t.name, SHORT), services };
  });
  unique(
    'teams',
    teams.map((t) => t.name),
    'team',
  );
  return { name, checks, password_changes, sla, pools, teams };
}
