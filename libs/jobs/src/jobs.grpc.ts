import { CallGuard, type Authenticator, type CallGuardOptions } from '@checkwire/auth';
import { serverStream, unary, type ServiceBinding } from '@checkwire/grpc';
import {
  JobsServiceService,
  JobState,
  type JobsServiceServer,
  type WatchJobResponse,
} from '@checkwire/proto';
import { JOBS_POLICY } from './jobs.policy.js';
import type { Jobs, JobWatchEvent } from './jobs.service.js';
import {
  entryFromProto,
  entryToProto,
  jobToProto,
  updateFromProto,
  viewToProto,
} from './proto-mappers.js';

function toResponse(e: JobWatchEvent): WatchJobResponse {
  switch (e.kind) {
    case 'snapshot':
      return { event: { $case: 'snapshot', value: viewToProto(e.view) } };
    case 'narrated':
      return { event: { $case: 'narrated', value: entryToProto(e.entry) } };
    case 'changed':
      return { event: { $case: 'changed', value: jobToProto(e.job) } };
  }
}

type Rpc = keyof JobsServiceServer & string;

/** gRPC edge of checkwire.jobs.v1.JobsService (JOBS_POLICY: admin and the LC gateway). */
export function jobsServiceBinding(
  jobs: Jobs,
  authenticator: Authenticator,
  options: CallGuardOptions = {},
): ServiceBinding {
  const access = new CallGuard(authenticator, options);
  const guard = <Req, Res>(rpc: Rpc, handler: (req: Req) => Promise<Res>) =>
    access.unary<JobsServiceServer, Req, Res>(JOBS_POLICY, rpc, (req) => handler(req));

  const implementation: JobsServiceServer = {
    createJob: unary(
      guard('createJob', async (req) => ({ job: viewToProto(await jobs.create(req)) })),
    ),
    narrateJob: unary(
      guard('narrateJob', async (req) => ({
        entry: entryToProto(
          await jobs.narrate(req.jobId, entryFromProto('', { ...req, time: undefined })),
        ),
      })),
    ),
    addJobSensor: unary(
      guard('addJobSensor', async (req) => ({
        job: viewToProto(await jobs.change(req.jobId, { addSensors: [req.sensorId] })),
      })),
    ),
    setJobCause: unary(
      guard('setJobCause', async (req) => ({
        job: viewToProto(await jobs.change(req.jobId, { cause: req.cause })),
      })),
    ),
    closeJob: unary(
      guard('closeJob', async (req) => ({
        job: viewToProto(await jobs.change(req.jobId, { close: true })),
      })),
    ),
    applyJobUpdates: unary(
      guard('applyJobUpdates', async (req) => {
        const updates = req.updates.map((u, i) => updateFromProto(`updates[${i}]`, u));
        const rows = await jobs.apply(req.oid, req.serviceName, updates);
        return { jobs: rows.map((r) => jobToProto(r)) };
      }),
    ),
    takeUndeliveredJobUpdates: unary(
      guard('takeUndeliveredJobUpdates', async (req) => {
        const lease = await jobs.takeUndelivered(req);
        return {
          deltas: lease.taken.map((t) => ({
            job: jobToProto(t.job, t.entries),
            isNew: t.isNew,
            newlyClosed: t.newlyClosed,
            causeChanged: t.causeChanged,
            sensorsChanged: t.sensorsChanged,
          })),
          deliveryId: lease.id ?? '',
          more: lease.more,
        };
      }),
    ),
    confirmJobUpdatesDelivered: unary(
      guard('confirmJobUpdatesDelivered', async (req) => ({
        confirmed: await jobs.confirmDelivered(req.deliveryId),
      })),
    ),
    getJob: unary(
      guard('getJob', async (req) => ({ job: viewToProto(await jobs.get(req.jobId)) })),
    ),
    listJobs: unary(
      guard('listJobs', async (req) => {
        const open =
          req.state === JobState.JOB_STATE_OPEN
            ? true
            : req.state === JobState.JOB_STATE_CLOSED
              ? false
              : undefined;
        const page = await jobs.list({ ...req, open });
        return { jobs: page.jobs.map((j) => jobToProto(j)), nextPageToken: page.nextPageToken };
      }),
    ),
    watchUndeliveredOrgs: serverStream(
      access.stream(JOBS_POLICY, 'watchUndeliveredOrgs', (req, context) =>
        jobs.watchUndeliveredOrgs(req.serviceName, context.signal),
      ),
    ),
    watchJob: serverStream(
      access.stream(JOBS_POLICY, 'watchJob', async function* (req, context) {
        for await (const event of jobs.watch(req.jobId, context.signal)) yield toResponse(event);
      }),
    ),
  };
  return { name: 'checkwire.jobs.v1.JobsService', definition: JobsServiceService, implementation };
}
