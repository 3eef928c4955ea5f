import { UnavailableError } from '@checkwire/errors';
import type { Db, NotificationListener, ServiceRow } from '@checkwire/db';
import { listServices } from './service.repository.js';

/**
 * A subscriber's queue. It holds at most one pending status per service (the newest), so a slow
 * reader sees every service's latest state and memory stays bounded by the number of services.
 */
export class StatusSubscription implements AsyncIterable<ServiceRow> {
  private readonly pending = new Map<number, ServiceRow>();
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    readonly teamId: number | undefined,
    private readonly onClose: (s: StatusSubscription) => void,
  ) {}

  push(row: ServiceRow): void {
    if (this.closed || (this.teamId !== undefined && row.team_id !== this.teamId)) return;
    const queued = this.pending.get(row.id);
    if (queued !== undefined && queued.version >= row.version) return;
    this.pending.delete(row.id);
    this.pending.set(row.id, row);
    this.wake?.();
  }

  /** Ends the iteration with an error (the feed lost its database connection). */
  fail(error: Error): void {
    this.failure = error;
    this.wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ServiceRow> {
    try {
      for (;;) {
        if (this.failure !== undefined) throw this.failure;
        if (this.closed) return;
        const next = this.pending.entries().next();
        if (!next.done) {
          const [id, row] = next.value;
          this.pending.delete(id);
          yield row;
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      this.close();
    }
  }
}

export interface StatusFeedOptions {
  /**
   * While anyone watches, every service is re-read this often, so a change whose announcement
   * was lost (its replica died before sending it) still reaches watchers. @default 5000
   */
  resyncMs?: number;
}

/**
 * Fans announcements of changed services (see StatusNotifier) out to status subscribers.
 * Changes made by any replica arrive here. Ids that arrive together are read back in one
 * query; nothing is read while nobody is subscribed.
 */
export class StatusFeed {
  private readonly subscribers = new Set<StatusSubscription>();
  private readonly dirty = new Set<number>();
  private resyncDue = false;
  private scheduled = false;
  private reads: Promise<void> = Promise.resolve();
  private readonly resync: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly listener: NotificationListener,
    options: StatusFeedOptions = {},
  ) {
    this.resync = setInterval(() => this.resyncAll(), options.resyncMs ?? 5000);
    this.resync.unref();
    listener.on('notification', (payload) => this.onNotification(payload));
    listener.on('lost', (err) => {
      const error = new UnavailableError(
        'the status feed lost its database connection; watch again for a fresh snapshot',
        { cause: err },
      );
      for (const s of this.subscribers) s.fail(error);
    });
  }

  subscribe(teamId: number | undefined): StatusSubscription {
    const s = new StatusSubscription(teamId, (gone) => this.subscribers.delete(gone));
    this.subscribers.add(s);
    return s;
  }

  /** Closes every subscription (their streams end normally) and stops re-reading. */
  closeAll(): void {
    clearInterval(this.resync);
    for (const s of [...this.subscribers]) s.close();
  }

  private onNotification(payload: string): void {
    if (this.subscribers.size === 0) return;
    for (const part of payload.split(',')) {
      const id = Number(part);
      if (Number.isSafeInteger(id) && id > 0) this.dirty.add(id);
    }
    this.schedule();
  }

  private resyncAll(): void {
    if (this.subscribers.size === 0) return;
    this.resyncDue = true;
    this.schedule();
  }

  /** One read at a time; whatever arrives meanwhile joins the next one. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.reads = this.reads.then(async () => {
      // Let notifications that arrived in the same burst join this read.
      await new Promise((resolve) => setImmediate(resolve));
      this.scheduled = false;
      const everything = this.resyncDue;
      const ids = [...this.dirty];
      this.resyncDue = false;
      this.dirty.clear();
      try {
        const rows = await listServices(this.db, everything ? {} : { ids });
        for (const row of rows) for (const s of this.subscribers) s.push(row);
      } catch (err) {
        const error = new UnavailableError('could not read service status changes', { cause: err });
        for (const s of this.subscribers) s.fail(error);
      }
    });
  }
}
