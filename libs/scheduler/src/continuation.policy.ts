import { definePolicy, type RoleName } from '@checkwire/auth';
import type { ContinuationServiceServer } from '@checkwire/proto';

/** The white team and the LC gateway, which hands over its extensions' continuations. */
const GATEWAY: readonly RoleName[] = ['admin', 'lc_gateway'];

/** Who may call each ContinuationService RPC. */
export const CONTINUATION_POLICY = definePolicy<ContinuationServiceServer>(
  'ContinuationService',
  { scheduleContinuations: GATEWAY, listContinuations: GATEWAY, requeueContinuation: ['admin'] },
  {
    listContinuations: 'at most 1000, the soonest due first',
    requeueContinuation: 'a given-up continuation, due again now',
  },
);
