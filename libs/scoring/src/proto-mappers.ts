import type {
  CheckRunRow,
  ScoreRow,
  ServiceErrorKindName,
  ServiceErrorRow,
  ServiceRow,
  TeamRow,
} from '@checkwire/db';
import {
  ServiceErrorKind,
  type CheckRun,
  type CredentialPool,
  type Score,
  type Service,
  type ServiceError,
  type ServiceStatus,
  type Team,
} from '@checkwire/proto';
import type { CredentialPoolWithCredentials } from './credential-pool.repository.js';
import type { ListedServiceError } from './service-error.repository.js';
import type { ServiceDraft } from './admin.service.js';

// Rows (snake_case, null) <-> protobuf messages (camelCase, undefined). Only the edge uses these.

export const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function teamToProto(row: TeamRow): Team {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export function credentialPoolToProto(pool: CredentialPoolWithCredentials): CredentialPool {
  return {
    id: pool.id,
    name: pool.name,
    credentials: pool.credentials.map((c) => ({ username: c.username, password: c.password })),
    createdAt: pool.created_at,
  };
}

export function serviceFromProto(s: Service): ServiceDraft {
  return {
    team_id: s.teamId,
    subtype: s.subtype,
    url: s.url,
    port: s.port,
    external: s.external,
    username: s.username,
    password: s.password,
    credential_pool_id: s.credentialPoolId,
    team_specific_info: s.teamSpecificInfo,
    protocol: s.protocol,
    http_string: s.httpString,
    team_specific: s.teamSpecific,
    public_visibility: s.publicVisibility,
    blue_visibility: s.blueVisibility,
    green_visibility: s.greenVisibility,
    red_visibility: s.redVisibility,
    administratively_down: s.administrativelyDown,
    down_reason: s.downReason,
    score_cap: s.scoreCap,
    name: s.name,
    points: s.points,
    runner_pool: s.runnerPool,
    check_settings: s.checkSettings,
  };
}

export function serviceStatusToProto(row: ServiceRow): ServiceStatus {
  return {
    serviceId: row.id,
    teamId: row.team_id,
    subtype: row.subtype,
    url: row.url,
    port: row.port,
    external: row.external,
    inProgress: row.in_progress,
    lastScan: orUndefined(row.last_scan),
    lastScanTime: orUndefined(row.last_scan_time),
    lastScanError: orUndefined(row.last_scan_error),
    administrativelyDown: row.administratively_down,
    downReason: row.down_reason,
    publicVisibility: row.public_visibility,
    blueVisibility: row.blue_visibility,
    greenVisibility: row.green_visibility,
    redVisibility: row.red_visibility,
    version: row.version,
    name: row.name,
    scoreCap: orUndefined(row.score_cap),
  };
}

export function checkRunToProto(row: CheckRunRow): CheckRun {
  return {
    id: row.id,
    serviceId: row.service_id,
    startedAt: row.started_at,
    finishedAt: orUndefined(row.finished_at),
  };
}

export function scoreToProto(row: ScoreRow): Score {
  return {
    id: row.id,
    serviceId: row.service_id,
    result: row.result,
    submittedResult: row.submitted_result,
    capped: row.capped,
    errorMsg: orUndefined(row.error_msg),
    checkRunId: orUndefined(row.check_run_id),
    requestId: orUndefined(row.request_id),
    createdAt: row.created_at,
    roundTime: orUndefined(row.round_at),
  };
}

const KIND_TO_PROTO: Record<ServiceErrorKindName, ServiceErrorKind> = {
  timeout: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
  content: ServiceErrorKind.SERVICE_ERROR_KIND_CONTENT,
  credentials: ServiceErrorKind.SERVICE_ERROR_KIND_CREDENTIALS,
  connection: ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION,
  other: ServiceErrorKind.SERVICE_ERROR_KIND_OTHER,
  no_runner: ServiceErrorKind.SERVICE_ERROR_KIND_NO_RUNNER,
};

/** undefined for UNSPECIFIED and for numbers this server does not know. */
export function kindFromProto(kind: ServiceErrorKind): ServiceErrorKindName | undefined {
  const entry = Object.entries(KIND_TO_PROTO).find(([, v]) => v === kind);
  return entry?.[0] as ServiceErrorKindName | undefined;
}

export function serviceErrorToProto(row: ServiceErrorRow | ListedServiceError): ServiceError {
  const listed = 'team_id' in row ? row : undefined;
  return {
    id: row.id,
    scoreId: row.score_id,
    serviceId: row.service_id,
    kind: KIND_TO_PROTO[row.kind],
    message: row.message,
    detail: row.detail,
    createdAt: row.created_at,
    traceId: listed?.trace_id ?? '',
    teamId: listed?.team_id ?? 0,
    subtype: listed?.subtype ?? '',
    serviceName: listed?.service_name ?? '',
  };
}
