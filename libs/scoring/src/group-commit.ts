import { context, type Context } from '@opentelemetry/api';
import { ResourceExhaustedError, UnavailableError } from '@checkwire/errors';
import { inBatchSpan } from '@checkwire/telemetry';

/**
 * Group commit: single calls that arrive while a write of their kind is under way are written
 * together, in one statement, by the next write. Nobody waits for company: a call that finds
 * a free slot is written at once (alone, or with whoever queued meanwhile), so a lone caller
 * pays nothing and concurrent callers share one round trip and one WAL flush.
 *
 * Each caller still gets its own answer and its own error: `write` returns one outcome per
 * item, in order. A group holds at most one item per key (per service), so an item's outcome
 * is what it would have been had the calls run one after another; later items of the same key
 * wait for the next group, in arrival order.
 */
export interface GroupCommitOptions<In, Out> {
  /** The span a shared write is recorded in (e.g. `checkwire.group.InsertServiceScore`). */
  spanName: string;
  /** Writes a group (distinct keys, arrival order) and returns one outcome per item, in order. */
  write: (items: In[]) => Promise<Out[]>;
  /** Items a group may not hold two of (one service). */
  key: (item: In) => number;
  /** Items in one group, at most. @default GROUP_COMMIT_DEFAULTS.maxGroup */
  maxGroup?: number;
  /** Groups of this kind written at the same time, at most. @default GROUP_COMMIT_DEFAULTS.maxInFlight */
  maxInFlight?: number;
  /** Calls waiting for a write, at most; more are refused. @default GROUP_COMMIT_DEFAULTS.maxQueued */
  maxQueued?: number;
}

export const GROUP_COMMIT_DEFAULTS = Object.freeze({
  /** Bounded so one statement's arrays (and its locks) stay small. */
  maxGroup: 256,
  /**
   * One: the next group fills while this one is written, so groups are as large as the load
   * makes them and PostgreSQL runs as few statements as it can (its CPU, on the machine the
   * scorer shares, is what a lifecycle costs beyond the transport). Measured on 2026-12-02 in
   * `npm run bench` (b): 0.40–0.61 of echo's RPC rate with one (five runs), 0.41–0.49 with two
   * (two runs).
   */
  maxInFlight: 1,
  /**
   * Each waiting call is a request held in memory; while the database is slower than the calls
   * arrive, the ones beyond this are refused (RESOURCE_EXHAUSTED) rather than queued without end.
   */
  maxQueued: 10_000,
});

interface Waiting<In, Out> {
  item: In;
  /** The caller's trace context: a write of its item alone is recorded in it. */
  caller: Context;
  /** The caller's call: once it has ended, its item is not written. */
  ended: Pick<AbortSignal, 'aborted'> | undefined;
  resolve: (out: Out) => void;
  reject: (err: unknown) => void;
}

/**
 * SQLSTATE classes of a statement PostgreSQL refused before committing it: bad data (22), a
 * broken constraint (23), a deadlock or serialization failure (40), an error in the statement
 * (42), a limit (54), a cancelled statement (57014). A lost connection or server (08, 53, 57P,
 * 58, XX, or an errno) is not among them: it may have come after the commit.
 */
const REFUSED_BEFORE_COMMIT = /^(22|23|40|42|54)[0-9A-Z]{3}$|^57014$/;

function statementRefused(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && REFUSED_BEFORE_COMMIT.test(code);
}

const notWritten = () =>
  new UnavailableError('the call ended before its write started; nothing was written');

export class GroupCommit<In, Out> {
  private readonly queue: Waiting<In, Out>[] = [];
  private inFlight = 0;
  private readonly maxGroup: number;
  private readonly maxInFlight: number;
  private readonly maxQueued: number;

  constructor(private readonly options: GroupCommitOptions<In, Out>) {
    this.maxGroup = options.maxGroup ?? GROUP_COMMIT_DEFAULTS.maxGroup;
    this.maxInFlight = options.maxInFlight ?? GROUP_COMMIT_DEFAULTS.maxInFlight;
    this.maxQueued = options.maxQueued ?? GROUP_COMMIT_DEFAULTS.maxQueued;
  }

  /**
   * Writes `item` with whoever else is waiting; resolves with its own outcome. A call that has
   * `ended` (cancelled, past its deadline) before its group starts is not written: its caller
   * has gone, and a retry of an unkeyed score would otherwise count twice.
   */
  submit(item: In, ended?: Pick<AbortSignal, 'aborted'>): Promise<Out> {
    if (ended?.aborted === true) return Promise.reject(notWritten());
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(
        new ResourceExhaustedError(
          `${this.queue.length} calls are waiting for the database already; try again shortly`,
        ),
      );
    }
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, caller: context.active(), ended, resolve, reject });
      this.pump();
    });
  }

  /** Starts groups while there are waiting items and free slots. */
  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const group = this.takeGroup();
      if (group.length === 0) continue; // every waiting call had ended
      this.inFlight++;
      void this.writeGroup(group);
    }
  }

  /** Frees a group's slot and starts the next group. */
  private release(): void {
    this.inFlight--;
    this.pump();
  }

  /** The oldest waiting items, one per key, up to maxGroup; the rest keep their places. */
  private takeGroup(): Waiting<In, Out>[] {
    const group: Waiting<In, Out>[] = [];
    const keys = new Set<number>();
    let kept = 0;
    for (const w of this.queue) {
      if (w.ended?.aborted === true) {
        w.reject(notWritten());
        continue;
      }
      const key = this.options.key(w.item);
      if (group.length < this.maxGroup && !keys.has(key)) {
        keys.add(key);
        group.push(w);
      } else {
        this.queue[kept++] = w;
      }
    }
    this.queue.length = kept;
    return group;
  }

  /**
   * A lone item is written in its caller's trace (its statement a child of the caller's span); a
   * shared statement belongs to no one caller, and is recorded in a span linked to them all.
   */
  private traced(group: Waiting<In, Out>[]): Promise<Out[]> {
    const items = group.map((w) => w.item);
    if (group.length === 1) return context.with(group[0]!.caller, () => this.options.write(items));
    return inBatchSpan(
      this.options.spanName,
      group.map((w) => w.caller),
      { 'checkwire.group.size': group.length },
      () => this.options.write(items),
    );
  }

  /**
   * Writes a group and answers its callers. When the write succeeded, or failed for the whole
   * group, the slot is freed and the next group's write started before this group's callers are
   * answered: PostgreSQL works on the next group while this process encodes and sends these
   * answers, instead of one waiting for the other. (A refused group, written again one call at
   * a time, answers each call as it goes and frees the slot at the end.)
   */
  private async writeGroup(group: Waiting<In, Out>[]): Promise<void> {
    let outs: Out[];
    try {
      outs = await this.traced(group);
      if (outs.length !== group.length) {
        throw new Error(`group write returned ${outs.length} outcomes for ${group.length} items`);
      }
    } catch (err) {
      // PostgreSQL refused the statement, so nothing was written: one item may have caused it
      // (or a deadlock that outlived its retries); each goes alone, to get its own answer.
      // Any other failure (a lost connection) may have come after the commit: written again,
      // an unkeyed score would count twice, so every caller gets the error instead.
      if (group.length > 1 && statementRefused(err)) {
        // One after another, in the group's slot: a refused group must not take the whole pool.
        for (const w of group) await this.writeAlone(w);
        this.release();
      } else {
        try {
          this.release();
        } finally {
          for (const w of group) w.reject(err);
        }
      }
      return;
    }
    try {
      this.release();
    } finally {
      // Answered even if starting the next group threw: no caller is left waiting.
      group.forEach((w, i) => w.resolve(outs[i]!));
    }
  }

  private async writeAlone(w: Waiting<In, Out>): Promise<void> {
    try {
      const [out] = await this.traced([w]);
      if (out === undefined) throw new Error('group write returned no outcome for its item');
      w.resolve(out);
    } catch (err) {
      w.reject(err);
    }
  }
}
