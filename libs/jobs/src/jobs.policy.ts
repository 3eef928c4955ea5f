import { definePolicy, type RoleName } from '@checkwire/auth';
import type { JobsServiceServer } from '@checkwire/proto';

/** The white team and the LC gateway, which stores its handlers' jobs and delivers them. */
const GATEWAY: readonly RoleName[] = ['admin', 'lc_gateway'];

/** Who may call each JobsService RPC. Check runners touch no job. */
export const JOBS_POLICY = definePolicy<JobsServiceServer>(
  'JobsService',
  {
    createJob: GATEWAY,
    narrateJob: GATEWAY,
    addJobSensor: GATEWAY,
    setJobCause: GATEWAY,
    closeJob: GATEWAY,
    // The scheduler stores the jobs its periodic callbacks return.
    applyJobUpdates: [...GATEWAY, 'scheduler'],
    takeUndeliveredJobUpdates: GATEWAY,
    confirmJobUpdatesDelivered: GATEWAY,
    watchUndeliveredOrgs: GATEWAY,
    getJob: GATEWAY,
    listJobs: GATEWAY,
    watchJob: GATEWAY,
  },
  { applyJobUpdates: 'scheduler: the jobs its periodic callbacks return' },
);
