import { optionalId, optionalText, optionalTime } from '@checkwire/errors';
import { canSeeService, type Principal } from '@checkwire/auth';
import type { Db, ServiceErrorKindName, ServiceRow } from '@checkwire/db';
import { decodePageToken, encodePageToken, pageSize } from './page-token.js';
import { redactScore, redactService } from './redaction.js';
import { listScores, type ListedScore } from './score.repository.js';
import { listServiceErrors, type ListedServiceError } from './service-error.repository.js';
import { listServices } from './service.repository.js';
import { ReadPools } from './read-pools.js';
import type { StatusFeed } from './status-feed.js';

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

export interface ListQuery {
  serviceId?: number | undefined;
  teamId?: number | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  pageSize: number;
  pageToken: string;
}

export type WatchEvent =
  | { kind: 'initial'; status: ServiceRow }
  | { kind: 'snapshot_complete' }
  | { kind: 'change'; status: ServiceRow };

function paged<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const last = rows[rows.length - 1];
  return {
    items: rows,
    nextPageToken: rows.length === limit && last !== undefined ? encodePageToken(last.id) : '',
  };
}

/** The read side: history, errors and live status. */
export class StatusQueries {
  constructor(
    private readonly db: Db,
    private readonly feed: StatusFeed,
    private readonly reads: ReadPools = new ReadPools(db, db),
  ) {}

  async listScores(q: ListQuery, principal: Principal): Promise<Page<ListedScore>> {
    const limit = pageSize('page_size', q.pageSize);
    const rows = await listScores(this.reads.for(principal), {
      visibleTo: principal,
      serviceId: optionalId('service_id', q.serviceId),
      teamId: optionalId('team_id', q.teamId),
      since: optionalTime('since', q.since),
      until: optionalTime('until', q.until),
      beforeId: decodePageToken(q.pageToken),
      limit,
    });
    return paged(
      rows.map((row) => redactScore(principal, row)),
      limit,
    );
  }

  async listServiceErrors(
    q: ListQuery & { kind?: ServiceErrorKindName | undefined; subtype?: string | undefined },
  ): Promise<Page<ListedServiceError>> {
    const limit = pageSize('page_size', q.pageSize);
    const rows = await listServiceErrors(this.db, {
      serviceId: optionalId('service_id', q.serviceId),
      teamId: optionalId('team_id', q.teamId),
      // Checked like any text a request carries: a NUL byte would fail in PostgreSQL.
      subtype: optionalText('subtype', q.subtype, 256) ?? undefined,
      kind: q.kind,
      since: optionalTime('since', q.since),
      until: optionalTime('until', q.until),
      beforeId: decodePageToken(q.pageToken),
      limit,
    });
    return paged(rows, limit);
  }

  async listServiceStatus(teamId: number | undefined, principal: Principal): Promise<ServiceRow[]> {
    const rows = await listServices(this.reads.for(principal), {
      teamId: optionalId('team_id', teamId),
      visibleTo: principal,
    });
    return rows.map((row) => redactService(principal, row));
  }

  /**
   * Every service's status once, a snapshot_complete marker, then each change. The subscription
   * starts before the snapshot is read, so nothing falls between; versions drop what the
   * snapshot already showed.
   */
  async *watch(
    teamId: number | undefined,
    principal: Principal,
    signal: AbortSignal,
  ): AsyncGenerator<WatchEvent> {
    optionalId('team_id', teamId);
    const subscription = this.feed.subscribe(teamId);
    const onAbort = () => subscription.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const sent = new Map<number, number>();
      for (const status of await listServices(this.reads.for(principal), {
        teamId,
        visibleTo: principal,
      })) {
        sent.set(status.id, status.version);
        yield { kind: 'initial', status: redactService(principal, status) };
      }
      yield { kind: 'snapshot_complete' };
      for await (const status of subscription) {
        if ((sent.get(status.id) ?? 0) >= status.version) continue;
        sent.set(status.id, status.version);
        // Visibility is judged on each change's row: a service hidden later stops being sent.
        if (!canSeeService(principal, status)) continue;
        yield { kind: 'change', status: redactService(principal, status) };
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      subscription.close();
    }
  }
}
