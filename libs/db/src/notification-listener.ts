import { EventEmitter } from 'node:events';
import pg from 'pg';

export interface NotificationListenerEvents {
  /** A NOTIFY on the channel. */
  notification: [payload: string];
  /** The connection was lost: notifications may have been missed until `ready` fires again. */
  lost: [error: Error];
  /** Listening (again). */
  ready: [];
}

/**
 * One dedicated connection that LISTENs on a channel and reconnects (with backoff) when lost.
 * A pooled connection cannot LISTEN: the pool would hand it to someone else.
 */
export class NotificationListener extends EventEmitter<NotificationListenerEvents> {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** A reconnect in flight, which stop() waits for. */
  private reconnecting: Promise<void> | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
  ) {
    super();
  }

  /** True while LISTENing: notifications sent now will arrive. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Resolves once the first LISTEN succeeded. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'checkwire-listener',
      // A database that accepts no connection must not hold a reconnect (and stop()) forever.
      connectionTimeoutMillis: 5000,
    });
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.emit('notification', msg.payload ?? '');
    });
    client.on('error', (err) => this.onLost(client, err));
    client.on('end', () => this.onLost(client, new Error('listener connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
    } catch (err) {
      client.removeAllListeners('end');
      void client.end().catch(() => undefined);
      throw err;
    }
    // Stopped while connecting (a reconnect in flight): this connection must not outlive stop().
    if (this.stopped) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.emit('ready');
  }

  private onLost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.emit('lost', error);
    this.scheduleReconnect(250);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.reconnecting = this.connect()
        .catch(() => this.scheduleReconnect(Math.min(delayMs * 2, 5000)))
        .finally(() => (this.reconnecting = undefined));
    }, delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.reconnecting;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
