import type { CallGuard } from '@checkwire/auth';
import { unary, type ServiceBinding } from '@checkwire/grpc';
import { ContinuationServiceService, type ContinuationServiceServer } from '@checkwire/proto';
import { CONTINUATION_POLICY } from './continuation.policy.js';
import type { Continuations } from './continuation.service.js';

/** gRPC edge of checkwire.scheduler.v1.ContinuationService (CONTINUATION_POLICY). */
export function continuationServiceBinding(
  guard: CallGuard,
  continuations: Continuations,
): ServiceBinding {
  const implementation: ContinuationServiceServer = {
    scheduleContinuations: unary(
      guard.unary(CONTINUATION_POLICY, 'scheduleContinuations', async (req) => ({
        ids: await continuations.schedule(req),
      })),
    ),
    listContinuations: unary(
      guard.unary(CONTINUATION_POLICY, 'listContinuations', async (req) => ({
        continuations: await continuations.list(req.extensionName, req.includeSettled),
      })),
    ),
    requeueContinuation: unary(
      guard.unary(CONTINUATION_POLICY, 'requeueContinuation', async (req) => ({
        continuation: await continuations.requeue(req.id),
      })),
    ),
  };
  return {
    name: 'checkwire.scheduler.v1.ContinuationService',
    definition: ContinuationServiceService,
    implementation,
  };
}
