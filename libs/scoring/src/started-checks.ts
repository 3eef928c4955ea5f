import { canSeeService, type Principal } from '@checkwire/auth';
import { Service, type StartedServiceCheck } from '@checkwire/proto';
import type { Started } from './check-batch.service.js';
import { checkRunToProto } from './proto-mappers.js';
import { serviceToProto } from './service-fields.js';
import { redactService } from './redaction.js';

/**
 * The services one StartServiceChecks answer carries at most, encoded: well under a client's
 * 4 MiB receive limit (a batch may name 1,000 services of several KiB each). Those past it are
 * sent without their service, and the runner asks GetService for them.
 */
export const STARTED_SERVICES_BUDGET_BYTES = 1024 * 1024;

/**
 * Each started check with its service as GetService would answer this caller: redacted for it,
 * and left out if the caller may not see it (a service changed since the caller's access was
 * checked), or once the budget is spent.
 */
export function startedChecksToProto(p: Principal, started: Started[]): StartedServiceCheck[] {
  let budget = STARTED_SERVICES_BUDGET_BYTES;
  return started.map((s) => {
    let service: Service | undefined;
    if (canSeeService(p, s.service)) {
      const candidate = serviceToProto(redactService(p, s.service));
      const size = Service.encode(candidate).finish().length;
      if (size <= budget) {
        budget -= size;
        service = candidate;
      }
    }
    return {
      serviceId: s.serviceId,
      checkRun: s.run === undefined ? undefined : checkRunToProto(s.run),
      alreadyInProgress: s.alreadyOpen,
      administrativelyDown: s.down,
      traceId: s.traceId ?? '',
      service,
    };
  });
}
