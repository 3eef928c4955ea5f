import { Hono } from 'hono';
import { JobState } from '@checkwire/proto';
import { Backend } from './backend.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { HttpError } from './http-errors.js';
import { jobView, narrationView } from './job-views.js';
import { liveStream } from './live-stream.js';
import { choiceParam, intParam, textParam, timeParam } from './query-params.js';

const STATES = { open: JobState.JOB_STATE_OPEN, closed: JobState.JOB_STATE_CLOSED } as const;
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** LimaCharlie jobs from the Jobs server: a list, one job, and one job live (Server-Sent Events). */
export function jobsRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  const jobs = () => {
    if (deps.backend.jobs === undefined) {
      throw new HttpError(503, 'this console has no Jobs server to ask (set JOBS_ADDRESS)');
    }
    return deps.backend.jobs;
  };
  const jobId = (id: string) => {
    if (!JOB_ID.test(id))
      throw new HttpError(400, `job: expected a job id (a UUID), got "${id.slice(0, 40)}"`);
    return id;
  };

  routes.get('/', async (c) => {
    const q = c.req.query();
    const state = choiceParam(q, 'state', ['open', 'closed'] as const);
    const page = await jobs().listJobs(
      {
        oid: textParam(q, 'oid', 128) ?? '',
        state: state === undefined ? JobState.JOB_STATE_UNSPECIFIED : STATES[state],
        since: timeParam(q, 'since'),
        until: timeParam(q, 'until'),
        pageSize: intParam(q, 'limit', 1, 500, 50),
        pageToken: textParam(q, 'page', 200) ?? '',
      },
      Backend.as(tokenOf(c.get('session'))),
    );
    return c.json({ jobs: page.jobs.map(jobView), nextPage: page.nextPageToken || null });
  });

  routes.get('/:id', async (c) => {
    const { job } = await jobs().getJob(
      { jobId: jobId(c.req.param('id')) },
      Backend.as(tokenOf(c.get('session'))),
    );
    return c.json(jobView(job!));
  });

  // `snapshot` (the job), then `narrated` (an entry) and `changed` (the job without narration)
  // as they happen; `failure` if the watch ends (or the job id is not one).
  routes.get('/:id/stream', (c) =>
    liveStream(c, deps, async function* (call) {
      for await (const { event } of jobs().watchJob({ jobId: jobId(c.req.param('id')) }, call)) {
        if (event === undefined) continue;
        yield {
          event: event.$case,
          data: event.$case === 'narrated' ? narrationView(event.value) : jobView(event.value),
        };
      }
    }),
  );
  return routes;
}
