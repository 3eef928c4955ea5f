import type { ServiceError, ServiceStatus } from '@checkwire/proto';
import { serviceErrorKindToJSON } from '@checkwire/proto';

/** A status page cell: what the browser needs of a ServiceStatus, as plain JSON. */
export function statusView(s: ServiceStatus) {
  return {
    serviceId: s.serviceId,
    teamId: s.teamId,
    name: s.name,
    subtype: s.subtype,
    inProgress: s.inProgress,
    lastScan: s.lastScan ?? null,
    lastScanTime: s.lastScanTime?.toISOString() ?? null,
    // Only an admin's calls are answered with error texts; others get none to pass on.
    lastScanError: s.lastScanError ?? null,
    administrativelyDown: s.administrativelyDown,
    downReason: s.downReason,
    version: s.version,
  };
}

/** `SERVICE_ERROR_KIND_TIMEOUT` → `timeout`. */
export const kindName = (kind: ServiceError['kind']) =>
  serviceErrorKindToJSON(kind)
    .replace(/^SERVICE_ERROR_KIND_/, '')
    .toLowerCase();

export function errorView(e: ServiceError, jaegerUrl: string | undefined) {
  return {
    id: e.id,
    scoreId: e.scoreId,
    serviceId: e.serviceId,
    serviceName: e.serviceName,
    teamId: e.teamId,
    subtype: e.subtype,
    kind: kindName(e.kind),
    message: e.message,
    detail: e.detail,
    createdAt: e.createdAt?.toISOString() ?? null,
    traceId: e.traceId || null,
    traceUrl:
      jaegerUrl !== undefined && e.traceId !== ''
        ? `${jaegerUrl.replace(/\/+$/, '')}/trace/${e.traceId}`
        : null,
  };
}
