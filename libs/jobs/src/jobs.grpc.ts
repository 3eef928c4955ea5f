import { CallGuard, type Authenticator, type RoleName } from '@checkwire/auth';
import { serverStream, unary, type ServiceBinding } from '@checkwire/grpc';
import {
  JobsServiceService,
  JobState,
  type JobsServiceServer,
  type WatchJobResponse,
} from '@checkwire/proto';
import type { Jobs, JobWatchEvent } from './jobs.service.js';
import {
  entryFromProto,
  entryToProto,
  jobToProto,
  updateFromProto,
  viewToProto,
} from './proto-mappers.js';

/** LC handlers and the gateway hold check_runner tokens; the white team holds admin ones. */
const WRITERS: readonly RoleName[] = ['admin', 'check_runner', 'lc_gateway'];

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

/** gRPC edge of checkwire.jobs.v1.JobsService (admin and check_runner tokens). */
export function jobsServiceBinding(jobs: Jobs, authenticator: Authenticator): ServiceBinding {
  const access = new CallGuard(authenticator);
  const guard = <Req, Res>(rpc: string, handler: (req: Req) => Promise<Res>) =>
    access.unary<Req, Res>(WRITERS, `JobsService.${rpc}`, (req) => handler(req));

  const implementation: JobsServiceServer = {
    createJob: unary(
      guard('CreateJob', async (req) => ({ job: viewToProto(await jobs.create(req)) })),
    ),
    narrateJob: unary(
      guard('NarrateJob', async (req) => ({
        entry: entryToProto(
          await jobs.narrate(req.jobId, entryFromProto('', { ...req, time: undefined })),
        ),
      })),
    ),
    addJobSensor: unary(
      guard('AddJobSensor', async (req) => ({
        job: viewToProto(await jobs.change(req.jobId, { addSensors: [req.sensorId] })),
      })),
    ),
    setJobCause: unary(
      guard('SetJobCause', async (req) => ({
        job: viewToProto(await jobs.change(req.jobId, { cause: req.cause })),
      })),
    ),
    closeJob: unary(
      guard('CloseJob', async (req) => ({
        job: viewToProto(await jobs.change(req.jobId, { close: true })),
      })),
    ),
    applyJobUpdates: unary(
      guard('ApplyJobUpdates', async (req) => {
        const updates = req.updates.map((u, i) => updateFromProto(`updates[${i}]`, u));
        const rows = await jobs.apply(req.oid, req.serviceName, updates);
        return { jobs: rows.map((r) => jobToProto(r)) };
      }),
    ),
    takeUndeliveredJobUpdates: unary(
      guard('TakeUndeliveredJobUpdates', async (req) => {
        const limit = req.limit <= 0 ? 100 : Math.min(req.limit, 1000);
        const taken = await jobs.takeUndelivered(req.serviceName, req.oid, limit);
        return {
          deltas: taken.map((t) => ({
            job: jobToProto(t.job, t.entries),
            isNew: t.isNew,
            newlyClosed: t.newlyClosed,
            causeChanged: t.causeChanged,
            sensorsChanged: t.sensorsChanged,
          })),
        };
      }),
    ),
    getJob: unary(
      guard('GetJob', async (req) => ({ job: viewToProto(await jobs.get(req.jobId)) })),
    ),
    listJobs: unary(
      guard('ListJobs', async (req) => {
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
      access.stream(WRITERS, 'JobsService.WatchUndeliveredOrgs', (req, context) =>
        jobs.watchUndeliveredOrgs(req.serviceName, context.signal),
      ),
    ),
    watchJob: serverStream(
      access.stream(WRITERS, 'JobsService.WatchJob', async function* (req, context) {
        for await (const event of jobs.watch(req.jobId, context.signal)) yield toResponse(event);
      }),
    ),
  };
  return { name: 'checkwire.jobs.v1.JobsService', definition: JobsServiceService, implementation };
}
