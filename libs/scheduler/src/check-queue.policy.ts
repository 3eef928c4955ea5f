import { definePolicy, type RoleName } from '@checkwire/auth';
import type { CheckQueueServiceServer } from '@checkwire/proto';

const RUNNERS: readonly RoleName[] = ['admin', 'check_runner'];
const LIMITED = 'a limited check_runner: checks of its services only';

/** Who may call each CheckQueueService RPC. */
export const CHECK_QUEUE_POLICY = definePolicy<CheckQueueServiceServer>(
  'CheckQueueService',
  { claimChecks: RUNNERS, completeCheck: RUNNERS, failCheck: RUNNERS },
  { claimChecks: LIMITED, completeCheck: LIMITED, failCheck: LIMITED },
);
