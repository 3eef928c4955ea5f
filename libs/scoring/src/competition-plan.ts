import {
  describeCheckSettings,
  sameCheckSettings,
  type ServiceCheckSettings,
} from '@checkwire/check-settings';
import { DEFAULT_RUNNER_POOL } from '@checkwire/errors';
import type { CredentialInput } from './credential-pool.repository.js';
import { describeSla, SLA_OFF, sameSla, type SlaRule } from './sla-rule.js';

// Competition as code, the pure part: what must change for the database to match a competition
// document. No I/O: the service reads the current state, asks for a plan, then carries it out.

/** Competition-wide check settings (0: unset). */
export interface CheckSettings {
  interval_seconds: number;
  jitter_seconds: number;
  timeout_seconds: number;
  retries: number;
}

/** A service as the competition declares it: its pool by name, points resolved. */
export interface DesiredService {
  name: string;
  subtype: string;
  url: string;
  port: number;
  external: boolean;
  username: string;
  password: string;
  /** '' for none. */
  credential_pool: string;
  team_specific_info: string;
  protocol: string;
  http_string: string;
  team_specific: boolean;
  public_visibility: boolean;
  blue_visibility: boolean;
  green_visibility: boolean;
  red_visibility: boolean;
  score_cap: number | null;
  points: number;
  /** Its own SLA rule; null: the competition's. */
  sla: SlaRule | null;
  /** The pool of runners that checks it; '' is the default pool. */
  runner_pool: string;
  /** How its built-in check judges it (validated; as stored for a current service). */
  check_settings: ServiceCheckSettings;
}

/** How blue teams' password change requests are applied. */
export interface PasswordChangePolicy {
  mode: 'immediate' | 'delay' | 'approval';
  /** For 'delay' (0 otherwise). */
  delay_seconds: number;
}

export interface DesiredCompetition {
  name: string;
  checks: CheckSettings;
  password_changes: PasswordChangePolicy;
  /** The rule of every service without its own. */
  sla: SlaRule;
  pools: { name: string; credentials: CredentialInput[] }[];
  teams: { name: string; services: DesiredService[] }[];
}

export interface CurrentService extends DesiredService {
  id: number;
  team_id: number;
  disabled: boolean;
}

/** What the database holds now, in the competition's terms. */
export interface CurrentCompetition {
  settings:
    | ({ name: string; password_changes: PasswordChangePolicy; sla: SlaRule } & CheckSettings)
    | undefined;
  pools: { id: number; name: string; credentials: CredentialInput[] }[];
  teams: { id: number; name: string; disabled: boolean }[];
  services: CurrentService[];
}

export type ChangeKind = 'create' | 'update' | 'disable' | 'enable';

/** One change as people read it (and CompetitionChange carries it). */
export interface Change {
  kind: ChangeKind;
  entity: 'settings' | 'credential_pool' | 'team' | 'service';
  /** A service's is "<team>/<service>". */
  name: string;
  details: string[];
}

/** One write, with the change it makes. */
export type Step = { change: Change } & (
  | {
      op: 'settings';
      name: string;
      checks: CheckSettings;
      passwordChanges: PasswordChangePolicy;
      sla: SlaRule;
    }
  | { op: 'create_pool'; pool: DesiredCompetition['pools'][number] }
  | { op: 'update_pool'; id: number; credentials: CredentialInput[] }
  | { op: 'create_team'; name: string }
  | { op: 'enable_team'; id: number }
  | { op: 'disable_team'; id: number }
  | { op: 'create_service'; team: string; service: DesiredService }
  | { op: 'update_service'; id: number; patch: Partial<DesiredService>; enable: boolean }
  | { op: 'disable_service'; id: number }
);

export interface Plan {
  steps: Step[];
  /** Pools, teams and services that already match (and the settings, when they do). */
  unchanged: number;
}

/** Fields compared between a declared and a stored service; secrets are never shown. */
const SERVICE_KEYS = [
  'subtype',
  'url',
  'port',
  'external',
  'username',
  'password',
  'credential_pool',
  'team_specific_info',
  'protocol',
  'http_string',
  'team_specific',
  'public_visibility',
  'blue_visibility',
  'green_visibility',
  'red_visibility',
  'score_cap',
  'points',
  'sla',
  'runner_pool',
  'check_settings',
] as const satisfies readonly (keyof DesiredService)[];

const SECRET = new Set<string>(['password']);

/** The policy before any competition file said otherwise (the column defaults). */
export const DEFAULT_PASSWORD_CHANGES: PasswordChangePolicy = Object.freeze({
  mode: 'approval',
  delay_seconds: 0,
});
const SETTING_KEYS = ['interval_seconds', 'jitter_seconds', 'timeout_seconds', 'retries'] as const;

const show = (v: unknown): string => (v === null || v === '' ? '(none)' : JSON.stringify(v));

function difference(key: string, before: unknown, after: unknown): string {
  if (SECRET.has(key)) return `${key} changed`;
  if (key === 'sla') {
    return `sla: ${describeSla(before as SlaRule | null)} → ${describeSla(after as SlaRule | null)}`;
  }
  if (key === 'runner_pool') {
    const pool = (v: unknown) => (v === '' ? DEFAULT_RUNNER_POOL : JSON.stringify(v));
    return `runner_pool: ${pool(before)} → ${pool(after)}`;
  }
  if (key === 'check_settings')
    return `check_settings: ${describeCheckSettings(before)} → ${describeCheckSettings(after)}`;
  return `${key}: ${show(before)} → ${show(after)}`;
}

/** Whether a stored and a declared value of a service's field differ. */
function differs<K extends keyof DesiredService>(k: K, a: DesiredService[K], b: DesiredService[K]) {
  if (k === 'sla') return !sameSla(a as SlaRule | null, b as SlaRule | null);
  if (k === 'check_settings') return !sameCheckSettings(a, b);
  return a !== b;
}

const sameCredentials = (a: CredentialInput[], b: CredentialInput[]) =>
  a.length === b.length &&
  a.every((c, i) => c.username === b[i]!.username && c.password === b[i]!.password);

function describeService(s: DesiredService): string[] {
  const where = [s.url, s.port ? `port ${s.port}` : ''].filter(Boolean).join(' ');
  return [
    `${s.subtype}${where ? ` ${where}` : ''}, ${s.points} points${s.external ? ', external' : ''}`,
  ];
}

/** The steps that make `current` match `desired`, in the order they can be carried out. */
export function planCompetition(current: CurrentCompetition, desired: DesiredCompetition): Plan {
  const steps: Step[] = [];
  let unchanged = 0;

  const settings = current.settings;
  const settingDetails = [
    ...(settings?.name === desired.name
      ? []
      : [difference('name', settings?.name ?? '', desired.name)]),
    ...SETTING_KEYS.filter((k) => (settings?.[k] ?? 0) !== desired.checks[k]).map((k) =>
      difference(`checks.${k}`, settings?.[k] ?? 0, desired.checks[k]),
    ),
    ...(['mode', 'delay_seconds'] as const)
      .filter(
        (k) =>
          (settings?.password_changes[k] ?? DEFAULT_PASSWORD_CHANGES[k]) !==
          desired.password_changes[k],
      )
      .map((k) =>
        difference(
          `password_changes.${k}`,
          settings?.password_changes[k] ?? DEFAULT_PASSWORD_CHANGES[k],
          desired.password_changes[k],
        ),
      ),
    ...(sameSla(settings?.sla ?? SLA_OFF, desired.sla)
      ? []
      : [difference('sla', settings?.sla ?? SLA_OFF, desired.sla)]),
  ];
  if (settingDetails.length === 0) unchanged += 1;
  else {
    steps.push({
      op: 'settings',
      name: desired.name,
      checks: desired.checks,
      passwordChanges: desired.password_changes,
      sla: desired.sla,
      change: {
        kind: settings === undefined ? 'create' : 'update',
        entity: 'settings',
        name: desired.name,
        details: settingDetails,
      },
    });
  }

  const poolsByName = new Map(current.pools.map((p) => [p.name, p]));
  for (const pool of desired.pools) {
    const now = poolsByName.get(pool.name);
    const n = pool.credentials.length;
    if (now === undefined) {
      steps.push({
        op: 'create_pool',
        pool,
        change: {
          kind: 'create',
          entity: 'credential_pool',
          name: pool.name,
          details: [`${n} credential${n === 1 ? '' : 's'}`],
        },
      });
    } else if (sameCredentials(now.credentials, pool.credentials)) unchanged += 1;
    else {
      steps.push({
        op: 'update_pool',
        id: now.id,
        credentials: pool.credentials,
        change: {
          kind: 'update',
          entity: 'credential_pool',
          name: pool.name,
          details: [`credentials changed (${now.credentials.length} → ${n})`],
        },
      });
    }
  }

  const teamsByName = new Map(current.teams.map((t) => [t.name, t]));
  const servicesByTeam = new Map<number, Map<string, CurrentService>>();
  for (const s of current.services) {
    const named = servicesByTeam.get(s.team_id) ?? new Map<string, CurrentService>();
    named.set(s.name, s);
    servicesByTeam.set(s.team_id, named);
  }
  const declaredTeams = new Set(desired.teams.map((t) => t.name));
  const teamSteps: Step[] = [];
  const serviceSteps: Step[] = [];
  const retired: Step[] = [];

  for (const team of desired.teams) {
    const now = teamsByName.get(team.name);
    if (now === undefined) {
      teamSteps.push({
        op: 'create_team',
        name: team.name,
        change: { kind: 'create', entity: 'team', name: team.name, details: [] },
      });
    } else if (now.disabled) {
      teamSteps.push({
        op: 'enable_team',
        id: now.id,
        change: {
          kind: 'enable',
          entity: 'team',
          name: team.name,
          details: ['back in the competition file'],
        },
      });
    } else unchanged += 1;

    const existing: ReadonlyMap<string, CurrentService> =
      (now && servicesByTeam.get(now.id)) ?? new Map<string, CurrentService>();
    const declared = new Set(team.services.map((s) => s.name));
    for (const service of team.services) {
      const label = `${team.name}/${service.name}`;
      const was = existing.get(service.name);
      if (was === undefined) {
        serviceSteps.push({
          op: 'create_service',
          team: team.name,
          service,
          change: {
            kind: 'create',
            entity: 'service',
            name: label,
            details: describeService(service),
          },
        });
        continue;
      }
      const changed = SERVICE_KEYS.filter((k) => differs(k, was[k], service[k]));
      if (changed.length === 0 && !was.disabled) {
        unchanged += 1;
        continue;
      }
      serviceSteps.push({
        op: 'update_service',
        id: was.id,
        patch: Object.fromEntries(changed.map((k) => [k, service[k]])),
        enable: was.disabled,
        change: {
          kind: was.disabled ? 'enable' : 'update',
          entity: 'service',
          name: label,
          details: [
            ...(was.disabled ? ['back in the competition file'] : []),
            ...changed.map((k) => difference(k, was[k], service[k])),
          ],
        },
      });
    }
    for (const was of existing.values()) {
      if (was.disabled || declared.has(was.name)) continue;
      retired.push(disableService(was, `${team.name}/${was.name}`));
    }
  }

  for (const team of current.teams) {
    if (declaredTeams.has(team.name)) continue;
    for (const was of servicesByTeam.get(team.id)?.values() ?? []) {
      if (!was.disabled) retired.push(disableService(was, `${team.name}/${was.name}`));
    }
    if (!team.disabled) {
      retired.push({
        op: 'disable_team',
        id: team.id,
        change: {
          kind: 'disable',
          entity: 'team',
          name: team.name,
          details: ['no longer in the competition file; its scores are kept'],
        },
      });
    }
  }

  return { steps: [...steps, ...teamSteps, ...serviceSteps, ...retired], unchanged };
}

function disableService(was: CurrentService, label: string): Step {
  return {
    op: 'disable_service',
    id: was.id,
    change: {
      kind: 'disable',
      entity: 'service',
      name: label,
      details: ['no longer in the competition file: not checked; its scores are kept'],
    },
  };
}
