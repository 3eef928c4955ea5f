import { useEffect, useState } from 'react';
import { signedOut, type Scoreboard } from './api';

export interface ScoreboardFeed {
  board: Scoreboard | undefined;
  /** True once the first scoreboard arrived and while the stream is open. */
  live: boolean;
  /** Why the stream ended, when the server said. */
  failure: string | undefined;
}

/**
 * The scoreboard as the caller may see it, kept current from the console's Server-Sent Events:
 * the board at once, then again whenever it changes (at most once a second). The browser
 * reconnects by itself after a failure it may recover from; the last board stays shown.
 */
export function useScoreboardFeed(key: string, recentRounds: number): ScoreboardFeed {
  const [feed, setFeed] = useState<ScoreboardFeed>({
    board: undefined,
    live: false,
    failure: undefined,
  });
  useEffect(() => {
    const source = new EventSource(`/api/scoreboard/stream?rounds=${recentRounds}`);
    source.addEventListener('scoreboard', (e: MessageEvent<string>) =>
      setFeed({ board: JSON.parse(e.data) as Scoreboard, live: true, failure: undefined }),
    );
    source.addEventListener('failure', (e: MessageEvent<string>) => {
      const { status, error } = JSON.parse(e.data) as { status: number; error: string };
      if (status === 401) signedOut(error);
      // A refusal will not change by asking again.
      if (status === 400 || status === 403) source.close();
      setFeed((f) => ({ ...f, live: false, failure: error }));
    });
    source.addEventListener('error', () => setFeed((f) => ({ ...f, live: false })));
    return () => source.close();
  }, [key, recentRounds]);
  return feed;
}
