import type { ColumnType, Generated, Selectable } from 'kysely';
import type { SlaModel } from './competition.table.js';

/** What an up check is worth when nobody said: the column's default (migration 0012). */
export const DEFAULT_SERVICE_POINTS = 100;

/** The seed's base.models.Service, plus bookkeeping (version, timestamps). */
export interface ServiceTable {
  id: Generated<number>;
  team_id: number;
  subtype: string;
  url: Generated<string>;
  port: Generated<number>;
  external: Generated<boolean>;
  username: Generated<string>;
  password: Generated<string>;
  credential_pool_id: number | null;
  team_specific_info: Generated<string>;
  protocol: Generated<string>;
  http_string: Generated<string>;
  team_specific: Generated<boolean>;
  public_visibility: Generated<boolean>;
  blue_visibility: Generated<boolean>;
  green_visibility: Generated<boolean>;
  red_visibility: Generated<boolean>;
  administratively_down: Generated<boolean>;
  down_reason: Generated<string>;
  score_cap: number | null;
  last_scan: number | null;
  last_scan_time: Date | null;
  last_scan_error: string | null;
  in_progress: Generated<boolean>;
  /** Bumped by a trigger on every update; status streams drop events older than what they sent. */
  version: ColumnType<number, never, never>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, never>;
  /** Unique within the team; a trigger names an unnamed service "<subtype>-<id>". */
  name: ColumnType<string, string | undefined, string>;
  /** What an up check is worth. */
  points: Generated<number>;
  /** Set while the competition file no longer names the service (not checked; scores kept). */
  disabled_at: Date | null;
  /** The service's own SLA rule, whole, or all null: the competition's. */
  sla_model: ColumnType<SlaModel | null, SlaModel | null | undefined, SlaModel | null>;
  sla_threshold: ColumnType<number | null, number | null | undefined, number | null>;
  sla_penalty: ColumnType<number | null, number | null | undefined, number | null>;
  /** numeric: read as a string. */
  sla_growth: ColumnType<string | null, number | null | undefined, number | null>;
  sla_max_penalty: ColumnType<number | null, number | null | undefined, number | null>;
  /** The pool of runners that checks it ('' is the default pool). */
  runner_pool: Generated<string>;
  /**
   * Its check settings, as libs/check-settings validated them ({} for none); read with
   * checkSettingsFromStored. jsonb: node-postgres writes an object as its JSON.
   */
  check_settings: ColumnType<unknown, object | undefined, object>;
}

export type ServiceRow = Selectable<ServiceTable>;
