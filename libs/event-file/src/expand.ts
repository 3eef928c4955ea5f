import type {
  EventCheckSettings,
  EventCompetition,
  EventService,
  EventSla,
  FilePath,
} from './event-file.types.js';
import type { Problem } from './event-file-error.js';

// Templates, placeholders and per-subtype points resolved into the flat competition the server
// takes, remembering where in the file each service came from (to point a server's refusal at it).

/** The file after schema validation: the shapes the schema guarantees. */
interface RawService {
  name: string;
  subtype?: string;
  port?: number | string;
  points?: number;
  score_cap?: number;
  sla?: EventSla;
  check_settings?: EventCheckSettings;
  [field: string]: unknown;
}
interface RawTeam {
  name: string;
  vars?: Record<string, string | number>;
  use?: string[];
  services?: RawService[];
}
interface RawFile {
  name: string;
  checks?: Partial<EventCompetition['checks']>;
  password_changes?: Partial<EventCompetition['password_changes']>;
  sla?: EventSla;
  points?: Record<string, number>;
  credential_pools?: EventCompetition['credential_pools'];
  templates?: Record<string, RawService[]>;
  teams: RawTeam[];
}

/** Where each expanded service came from: origins[team][service] is a path into the file. */
export type Origins = FilePath[][];

/** The string fields placeholders are rendered in. */
type StringField =
  | 'subtype'
  | 'url'
  | 'username'
  | 'password'
  | 'credential_pool'
  | 'team_specific_info'
  | 'protocol'
  | 'http_string'
  | 'runner_pool';
const BOOLEAN_FIELDS = [
  'external',
  'team_specific',
  'public_visibility',
  'blue_visibility',
  'green_visibility',
  'red_visibility',
] as const;

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

function render(
  text: string,
  vars: ReadonlyMap<string, string>,
  at: FilePath,
  teamAt: FilePath,
  problems: Problem[],
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = vars.get(name);
    if (value !== undefined) return value;
    const known = [...vars.keys()].map((k) => `{{${k}}}`).join(', ');
    problems.push({
      path: at,
      message: `${whole} is not known for ${teamPath(teamAt)} (known: ${known})`,
    });
    return whole;
  });
}

const teamPath = (p: FilePath) => `teams[${String(p[1])}]`;

/** The placeholders a team's services may use. */
function teamVars(team: RawTeam, index: number): Map<string, string> {
  const vars = new Map<string, string>([
    ['team.name', team.name],
    ['team.index', String(index + 1)],
  ]);
  for (const [k, v] of Object.entries(team.vars ?? {})) vars.set(`team.${k}`, String(v));
  return vars;
}

/** The flat competition, or problems (each with its path) when the file's parts do not fit. */
export function expandCompetition(
  raw: RawFile,
  problems: Problem[],
): { competition: EventCompetition; origins: Origins } {
  const templates = raw.templates ?? {};
  const origins: Origins = [];
  const teams = raw.teams.map((team, t) => {
    const teamAt: FilePath = ['teams', t];
    const parts = new Map<string, { fields: RawService; origin: FilePath }>();
    (team.use ?? []).forEach((name, u) => {
      const template = Object.hasOwn(templates, name) ? templates[name] : undefined;
      if (template === undefined) {
        const known = Object.keys(templates).join(', ') || 'none';
        problems.push({
          path: [...teamAt, 'use', u],
          message: `no template named "${name}" (templates: ${known})`,
        });
        return;
      }
      template.forEach((service, k) => {
        const origin: FilePath = ['templates', name, k];
        if (parts.has(service.name)) {
          problems.push({
            path: [...origin, 'name'],
            message: `${teamPath(teamAt)} already has a service named "${service.name}" (from another template)`,
          });
        }
        parts.set(service.name, { fields: service, origin });
      });
    });
    const own = new Set<string>();
    (team.services ?? []).forEach((service, j) => {
      const origin: FilePath = [...teamAt, 'services', j];
      if (own.has(service.name)) {
        problems.push({
          path: [...origin, 'name'],
          message: `another service of this team is named "${service.name}"`,
        });
        return;
      }
      own.add(service.name);
      const base = parts.get(service.name);
      if (base === undefined && service.subtype === undefined) {
        problems.push({
          path: [...origin, 'subtype'],
          message: `is required (no template this team uses has a service named "${service.name}")`,
        });
      }
      parts.set(service.name, { fields: { ...base?.fields, ...service }, origin });
    });

    const vars = teamVars(team, t);
    const teamOrigins: FilePath[] = [];
    const services = [...parts.values()].map(({ fields, origin }) => {
      teamOrigins.push(origin);
      return expandService(fields, origin, teamAt, vars, raw.points ?? {}, problems);
    });
    origins.push(teamOrigins);
    return { name: team.name, services };
  });
  const checks = raw.checks ?? {};
  return {
    origins,
    competition: {
      name: raw.name,
      checks: {
        interval_seconds: checks.interval_seconds ?? 0,
        jitter_seconds: checks.jitter_seconds ?? 0,
        timeout_seconds: checks.timeout_seconds ?? 0,
        retries: checks.retries ?? 0,
      },
      password_changes: {
        mode: raw.password_changes?.mode ?? 'approval',
        delay_seconds: raw.password_changes?.delay_seconds ?? 0,
      },
      ...(raw.sla === undefined ? {} : { sla: raw.sla }),
      credential_pools: raw.credential_pools ?? [],
      teams,
    },
  };
}

function expandService(
  fields: RawService,
  origin: FilePath,
  teamAt: FilePath,
  vars: ReadonlyMap<string, string>,
  pointsBySubtype: Readonly<Record<string, number>>,
  problems: Problem[],
): EventService {
  const text = (key: StringField) => {
    const value = fields[key];
    return typeof value === 'string' ? render(value, vars, [...origin, key], teamAt, problems) : '';
  };
  const subtype = text('subtype');
  let port = 0;
  if (typeof fields.port === 'number') port = fields.port;
  else if (typeof fields.port === 'string') {
    const rendered = render(fields.port, vars, [...origin, 'port'], teamAt, problems);
    port = Number(rendered);
    if (!/^\d+$/.test(rendered) || port > 65535) {
      problems.push({
        path: [...origin, 'port'],
        message: `must be 0–65535 for ${teamPath(teamAt)}, got "${rendered}"`,
      });
    }
  }
  const service: EventService = {
    name: fields.name,
    subtype,
    url: text('url'),
    port,
    external: false,
    username: text('username'),
    password: text('password'),
    credential_pool: text('credential_pool'),
    team_specific_info: text('team_specific_info'),
    protocol: text('protocol'),
    http_string: text('http_string'),
    team_specific: false,
    public_visibility: false,
    blue_visibility: false,
    green_visibility: false,
    red_visibility: false,
  };
  for (const key of BOOLEAN_FIELDS) service[key] = fields[key] === true;
  const pool = text('runner_pool');
  if (pool !== '') service.runner_pool = pool;
  if (fields.score_cap !== undefined) service.score_cap = fields.score_cap;
  const points =
    fields.points ??
    (Object.hasOwn(pointsBySubtype, subtype) ? pointsBySubtype[subtype] : undefined);
  if (points !== undefined) service.points = points;
  if (fields.sla !== undefined) service.sla = fields.sla;
  if (fields.check_settings !== undefined) {
    service.check_settings = renderLeaves(
      fields.check_settings,
      (value, at) => render(value, vars, at, teamAt, problems),
      [...origin, 'check_settings'],
    ) as EventCheckSettings;
  }
  return service;
}

/** A copy of a value with `renderText` applied to every string in it (keys stay as they are). */
function renderLeaves(
  value: unknown,
  renderText: (text: string, at: FilePath) => string,
  at: FilePath,
): unknown {
  if (typeof value === 'string') return renderText(value, at);
  if (Array.isArray(value)) return value.map((v, i) => renderLeaves(v, renderText, [...at, i]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderLeaves(v, renderText, [...at, k])]),
    );
  }
  return value;
}
