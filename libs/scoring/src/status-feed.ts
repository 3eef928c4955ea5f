import { UnavailableError } from '@checkwire/errors';
import type { Db, NotificationListener, ServiceRow } from '@checkwire/db';
import { listServices } from './service.repository.js';

/** The channel the service_notify_status trigger NOTIFYs with "<id>:<version>". */
export const STATUS_CHANNEL = 'checkwire_service_status';

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

/**
 * Fans PostgreSQL notifications about changed services out to status subscribers. Changes made
 * by any replica arrive here, because every replica's writes fire the same trigger. Ids that
 * arrive together are read back in one query; nothing is read while nobody is subscribed.
 */
export class StatusFeed {
  private readonly subscribers = new Set<StatusSubscription>();
  private readonly dirty = new Set<number>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly listener: NotificationListener,
  ) {
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

  /** Closes every subscription (their streams end normally). */
  closeAll(): void {
    for (const s of [...this.subscribers]) s.close();
  }

  private onNotification(payload: string): void {
    if (this.subscribers.size === 0) return;
    const id = Number(payload.split(':')[0]);
    if (!Number.isSafeInteger(id)) return;
    this.dirty.add(id);
    this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
  }

  private async flush(): Promise<void> {
    // Let notifications that arrived in the same burst join this read.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.dirty.size > 0) {
      const ids = [...this.dirty];
      this.dirty.clear();
      try {
        const rows = await listServices(this.db, { ids });
        for (const row of rows) for (const s of this.subscribers) s.push(row);
      } catch (err) {
        const error = new UnavailableError('could not read service status changes', { cause: err });
        for (const s of this.subscribers) s.fail(error);
      }
    }
  }
}
