import { useEffect, useState } from 'react';
import { signedOut, type StatusCell } from './api';

/** How long changes gather before the page shows them together. */
const FLUSH_MS = 100;

export interface StatusFeed {
  /** By team, then by service name. A change replaces its team's map only, so the rows of other
   *  teams keep their identity and are not drawn again. */
  byTeam: Map<number, Map<string, StatusCell>>;
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
    byTeam: new Map(),
    live: false,
    failure: undefined,
  });
  useEffect(() => {
    const source = new EventSource('/api/status/stream');
    /** Where each service's cell is (its team and name when last seen). */
    const where = new Map<number, { teamId: number; name: string }>();
    source.addEventListener('snapshot', (e: MessageEvent<string>) => {
      const byTeam = new Map<number, Map<string, StatusCell>>();
      where.clear();
      for (const cell of JSON.parse(e.data) as StatusCell[]) {
        where.set(cell.serviceId, { teamId: cell.teamId, name: cell.name });
        const row = byTeam.get(cell.teamId) ?? new Map<string, StatusCell>();
        row.set(cell.name, cell);
        byTeam.set(cell.teamId, row);
      }
      setFeed({ byTeam, live: true, failure: undefined });
    });
    // Changes are applied together, at most every FLUSH_MS: during a round thousands arrive, and
    // one render for many keeps the page responsive (a spinner still shows well within a second).
    let pending = new Map<number, StatusCell>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = new Map();
      setFeed((f) => {
        const byTeam = new Map(f.byTeam);
        const copied = new Set<number>();
        /** The team's row, copied once per flush before it is changed. */
        const rowOf = (teamId: number) => {
          if (!copied.has(teamId)) {
            byTeam.set(teamId, new Map(byTeam.get(teamId) ?? []));
            copied.add(teamId);
          }
          return byTeam.get(teamId)!;
        };
        for (const cell of batch.values()) {
          const at = where.get(cell.serviceId);
          const held = at === undefined ? undefined : byTeam.get(at.teamId)?.get(at.name);
          if (held !== undefined && held.version > cell.version) continue;
          // A service renamed or moved to another team leaves its old place.
          if (at !== undefined && (at.teamId !== cell.teamId || at.name !== cell.name)) {
            rowOf(at.teamId).delete(at.name);
          }
          rowOf(cell.teamId).set(cell.name, cell);
          where.set(cell.serviceId, { teamId: cell.teamId, name: cell.name });
        }
        return { ...f, byTeam };
      });
    };
    source.addEventListener('change', (e: MessageEvent<string>) => {
      const cell = JSON.parse(e.data) as StatusCell;
      const queued = pending.get(cell.serviceId);
      if (queued === undefined || queued.version <= cell.version) pending.set(cell.serviceId, cell);
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    source.addEventListener('failure', (e: MessageEvent<string>) => {
      const { status, error } = JSON.parse(e.data) as { status: number; error: string };
      if (status === 401) signedOut(error);
      setFeed((f) => ({ ...f, live: false, failure: error }));
    });
    source.addEventListener('error', () => setFeed((f) => ({ ...f, live: false })));
    return () => {
      source.close();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key]);
  return feed;
}
