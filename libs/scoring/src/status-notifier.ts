import { PreparedStatement, type SqlClient } from '@checkwire/db';
import { createLogger } from '@checkwire/log';

const LOG = createLogger('scoring');

/** The channel status changes are announced on; the payload is comma-separated service ids. */
export const STATUS_CHANNEL = 'checkwire_service_status';

/** Payloads stay under PostgreSQL's 8000-byte NOTIFY limit. */
const MAX_PAYLOAD = 7900;

const NOTIFY = new PreparedStatement<[channel: string, payload: string], { ok: string }>(
  'checkwire_notify_status',
  `SELECT pg_notify($1, $2) AS ok`,
);

export interface StatusNotifierOptions {
  /** How long changes gather before one NOTIFY announces them. @default 20 */
  intervalMs?: number;
  /** Where a failed NOTIFY is reported (the ids are kept and sent next time). */
  onError?: (err: unknown) => void;
}

/**
 * Announces which services changed to every replica (LISTEN/NOTIFY), in batches sent outside
 * the write transactions: a NOTIFY inside them would serialise every commit behind a
 * database-wide lock. Writers call `changed` after their write committed.
 */
export class StatusNotifier {
  private readonly pending = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly client: SqlClient,
    options: StatusNotifierOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 20;
    this.onError = options.onError ?? ((err) => LOG.failure('status notify failed', err));
  }

  changed(...serviceIds: number[]): void {
    for (const id of serviceIds) this.pending.add(id);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.sending = this.sending.then(() => this.send());
    }, this.intervalMs);
  }

  /** Sends whatever is pending now (used on shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.sending = this.sending.then(() => this.send());
    await this.sending;
  }

  private async send(): Promise<void> {
    const ids = [...this.pending];
    this.pending.clear();
    for (const payload of chunk(ids)) {
      try {
        await NOTIFY.rows(this.client, STATUS_CHANNEL, payload);
      } catch (err) {
        for (const id of payload.split(',')) this.pending.add(Number(id));
        this.onError(err);
        this.changed(); // try again after the interval
        return;
      }
    }
  }
}

function chunk(ids: number[]): string[] {
  const payloads: string[] = [];
  let current = '';
  for (const id of ids) {
    const next = current === '' ? String(id) : `${current},${id}`;
    if (next.length > MAX_PAYLOAD) {
      payloads.push(current);
      current = String(id);
    } else {
      current = next;
    }
  }
  if (current !== '') payloads.push(current);
  return payloads;
}
