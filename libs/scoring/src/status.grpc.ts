import { InvalidArgumentError } from '@checkwire/errors';
import { serverStream, unary, type ServiceBinding } from '@checkwire/grpc';
import {
  ServiceErrorKind,
  StatusServiceService,
  type StatusServiceServer,
  type WatchServiceStatusResponse,
} from '@checkwire/proto';
import {
  kindFromProto,
  scoreToProto,
  serviceErrorToProto,
  serviceStatusToProto,
} from './proto-mappers.js';
import type { Access } from './access.js';
import { STATUS_POLICY } from './status.policy.js';
import type { StatusQueries, WatchEvent } from './status.service.js';

function toResponse(event: WatchEvent): WatchServiceStatusResponse {
  switch (event.kind) {
    case 'initial':
      return { event: { $case: 'initial', value: serviceStatusToProto(event.status) } };
    case 'snapshot_complete':
      return { event: { $case: 'snapshotComplete', value: {} } };
    case 'change':
      return { event: { $case: 'change', value: serviceStatusToProto(event.status) } };
  }
}

async function* watchResponses(
  events: AsyncIterable<WatchEvent>,
): AsyncGenerator<WatchServiceStatusResponse> {
  for await (const event of events) yield toResponse(event);
}

/**
 * gRPC edge of checkwire.scoring.v1.StatusService. Anyone may read, filtered by visibility;
 * service errors are admin-only.
 */
export function statusServiceBinding(queries: StatusQueries, access: Access): ServiceBinding {
  const implementation: StatusServiceServer = {
    listScores: unary(
      access.unary(STATUS_POLICY, 'listScores', async (req, _context, p) => {
        const page = await queries.listScores(req, p);
        return { scores: page.items.map(scoreToProto), nextPageToken: page.nextPageToken };
      }),
    ),
    listServiceErrors: unary(
      access.unary(STATUS_POLICY, 'listServiceErrors', async (req) => {
        const kind = kindFromProto(req.kind);
        if (kind === undefined && req.kind !== ServiceErrorKind.SERVICE_ERROR_KIND_UNSPECIFIED) {
          throw new InvalidArgumentError('kind', `unknown value ${req.kind}`);
        }
        const page = await queries.listServiceErrors({ ...req, kind });
        return {
          serviceErrors: page.items.map(serviceErrorToProto),
          nextPageToken: page.nextPageToken,
        };
      }),
    ),
    listServiceStatus: unary(
      access.unary(STATUS_POLICY, 'listServiceStatus', async (req, _context, p) => ({
        statuses: (await queries.listServiceStatus(req.teamId, p)).map(serviceStatusToProto),
      })),
    ),
    watchServiceStatus: serverStream(
      access.stream(STATUS_POLICY, 'watchServiceStatus', (req, context, p) =>
        watchResponses(queries.watch(req.teamId, p, context.signal)),
      ),
    ),
  };
  return {
    name: 'checkwire.scoring.v1.StatusService',
    definition: StatusServiceService,
    implementation,
  };
}
