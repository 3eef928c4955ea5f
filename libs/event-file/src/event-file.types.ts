import type { FileCheckSettings, FileContentRule } from '@checkwire/check-settings';

// A competition file after its templates, placeholders and ${ENV_VAR} references are resolved:
// what the CLI sends as a CompetitionSpec (same fields, the file's snake_case spelling).

export interface EventService {
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
  score_cap?: number;
  /** Absent: the server's default. */
  points?: number;
  /** Absent: the competition's rule. */
  sla?: EventSla;
  /** The pool of runners that checks it; absent: the default pool. */
  runner_pool?: string;
  /** How its built-in check judges it; absent: no settings. */
  check_settings?: EventCheckSettings;
}

/** A service's check settings as the file spells them (libs/check-settings' file form). */
export type EventCheckSettings = FileCheckSettings;
export type EventContentRule = FileContentRule;

/** An SLA rule; what it leaves out takes the server's defaults. */
export interface EventSla {
  model: 'off' | 'flat' | 'additive' | 'exponential';
  threshold?: number;
  penalty?: number;
  growth?: number;
  max_penalty?: number;
}

export interface EventChecks {
  interval_seconds: number;
  jitter_seconds: number;
  timeout_seconds: number;
  retries: number;
}

export interface EventPasswordChanges {
  mode: 'immediate' | 'delay' | 'approval';
  delay_seconds: number;
}

export interface EventCompetition {
  name: string;
  checks: EventChecks;
  password_changes: EventPasswordChanges;
  /** Absent: no SLA penalties. */
  sla?: EventSla;
  credential_pools: { name: string; credentials: { username: string; password: string }[] }[];
  teams: { name: string; services: EventService[] }[];
}

/** A path into the file, as YAML keys and indexes: ['teams', 3, 'services', 2, 'port']. */
export type FilePath = readonly (string | number)[];
