import { useEffect, useState } from 'react';
import { signedOut, type JobView, type NarrationView } from './api';

export interface JobFeed {
  job: JobView | undefined;
  live: boolean;
  failure: string | undefined;
}

/** One job, kept current from the console's Server-Sent Events while the page is open. */
export function useJobFeed(id: string): JobFeed {
  const [feed, setFeed] = useState<JobFeed>({ job: undefined, live: false, failure: undefined });
  useEffect(() => {
    const source = new EventSource(`/api/jobs/${encodeURIComponent(id)}/stream`);
    source.addEventListener('snapshot', (e: MessageEvent<string>) =>
      setFeed({ job: JSON.parse(e.data) as JobView, live: true, failure: undefined }),
    );
    source.addEventListener('narrated', (e: MessageEvent<string>) => {
      const entry = JSON.parse(e.data) as NarrationView;
      setFeed((f) =>
        f.job === undefined
          ? f
          : { ...f, job: { ...f.job, narration: [...f.job.narration, entry] } },
      );
    });
    source.addEventListener('changed', (e: MessageEvent<string>) => {
      const changed = JSON.parse(e.data) as JobView;
      // A change carries the job without its narration: keep what is shown.
      setFeed((f) =>
        f.job === undefined ? f : { ...f, job: { ...changed, narration: f.job.narration } },
      );
    });
    source.addEventListener('failure', (e: MessageEvent<string>) => {
      const { status, error } = JSON.parse(e.data) as { status: number; error: string };
      if (status === 401) signedOut(error);
      // A job that does not exist (or a refusal) will not change by asking again.
      if (status === 404 || status === 403 || status === 400) source.close();
      setFeed((f) => ({ ...f, live: false, failure: error }));
    });
    source.addEventListener('error', () => setFeed((f) => ({ ...f, live: false })));
    return () => source.close();
  }, [id]);
  return feed;
}
