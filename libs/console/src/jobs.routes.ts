import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { JobState } from '@checkwire/proto';
import { Backend } from './backend.js';
import { tokenOf, type ConsoleDeps, type ConsoleEnv } from './console-env.js';
import { HttpError, httpErrorOf } from './http-errors.js';
import { jobView, narrationView } from './job-views.js';
import { callerOf } from './caller.js';
import { failureStream } from './failure-stream.js';
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
  // as they happen; `failure` if the watch ends.
  routes.get('/:id/stream', (c) => {
    let id: string, client: NonNullable<typeof deps.backend.jobs>, release: () => void;
    try {
      id = jobId(c.req.param('id'));
      client = jobs();
      release = deps.slots.take(callerOf(c));
    } catch (err) {
      // Said as an event: a browser's EventSource cannot read the body of a refused stream.
      return failureStream(c, err);
    }
    const session = c.get('session');
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      try {
        const watch = client.watchJob(
          { jobId: id },
          Backend.as(tokenOf(session), { signal: abort.signal }),
        );
        for await (const { event } of watch) {
          if (event === undefined) continue;
          const data =
            event.$case === 'narrated' ? narrationView(event.value) : jobView(event.value);
          await stream.writeSSE({ event: event.$case, data: JSON.stringify(data), retry: 2000 });
        }
      } catch (err) {
        if (!abort.signal.aborted) {
          const { status, message } = httpErrorOf(err);
          await stream.writeSSE({
            event: 'failure',
            data: JSON.stringify({ status, error: message }),
          });
        }
      } finally {
        abort.abort();
        release();
      }
    });
  });
  return routes;
}
