import { useEffect, useState } from 'react';
import { signedOut, type StatusCell } from './api';

export interface StatusFeed {
  cells: Map<number, StatusCell>;
  /** True once the first snapshot arrived and while the stream is open. */
  live: boolean;
  /** Why the stream ended, when the server said. */
  failure: string | undefined;
}

/**
 * Every service the caller may see, kept current from the console's Server-Sent Events: a
 * snapshot, then changes (an older version of a service than the one held is dropped). The
 * browser reconnects by itself; each reconnection starts from a fresh snapshot.
 */
export function useStatusFeed(key: string): StatusFeed {
  const [feed, setFeed] = useState<StatusFeed>({
    cells: new Map(),
    live: false,
    failure: undefined,
  });
  useEffect(() => {
    const source = new EventSource('/api/status/stream');
    source.addEventListener('snapshot', (e: MessageEvent<string>) => {
      const cells = new Map((JSON.parse(e.data) as StatusCell[]).map((c) => [c.serviceId, c]));
      setFeed({ cells, live: true, failure: undefined });
    });
    source.addEventListener('change', (e: MessageEvent<string>) => {
      const cell = JSON.parse(e.data) as StatusCell;
      setFeed((f) => {
        const held = f.cells.get(cell.serviceId);
        if (held !== undefined && held.version > cell.version) return f;
        const cells = new Map(f.cells);
        cells.set(cell.serviceId, cell);
        return { ...f, cells };
      });
    });
    source.addEventListener('failure', (e: MessageEvent<string>) => {
      const { status, error } = JSON.parse(e.data) as { status: number; error: string };
      if (status === 401) signedOut(error);
      setFeed((f) => ({ ...f, live: false, failure: error }));
    });
    source.addEventListener('error', () => setFeed((f) => ({ ...f, live: false })));
    return () => source.close();
  }, [key]);
  return feed;
}
