import { randomUUID } from 'node:crypto';
import type { Attachment, JobUpdate, NarrationEntry } from '@checkwire/proto';
import { Table } from './table.js';

/**
 * A job, as lcservice's Job: narrate what happens, with attachments; return it in a response
 * (the gateway stores it and tells LimaCharlie). Each narration entry gets its own id, so the
 * same object may be returned again later: entries the store already has are not added twice.
 *
 * `new Job(cause)` starts a new job (a cause is required, as lcservice requires one);
 * `new Job(cause, id)` names a job, new or already stored (then the cause may be empty: it is
 * left as it is).
 */
export class Job {
  readonly id: string;
  readonly startTime = new Date();
  private cause: string;
  private readonly isNew: boolean;
  private readonly sensors = new Set<string>();
  private readonly narration: NarrationEntry[] = [];
  private closed = false;

  constructor(cause = '', id?: string) {
    this.cause = cause;
    this.isNew = id === undefined;
    this.id = id ?? randomUUID();
  }

  narrate(
    message: string,
    options: { important?: boolean; attachments?: (Attachment | Table)[] } = {},
  ): this {
    this.narration.push({
      id: randomUUID(),
      time: new Date(),
      message,
      important: options.important ?? false,
      attachments: (options.attachments ?? []).map((a) =>
        a instanceof Table ? a.toAttachment() : a,
      ),
    });
    return this;
  }

  addSensor(sid: string): this {
    this.sensors.add(sid);
    return this;
  }

  setCause(cause: string): this {
    this.cause = cause;
    return this;
  }

  close(): this {
    this.closed = true;
    return this;
  }

  /** What the handler's response carries about this job. Throws for a new job without a cause. */
  toUpdate(): JobUpdate {
    if (this.isNew && this.cause.trim() === '') {
      throw new Error(`job ${this.id}: "cause" is required for new jobs`);
    }
    return {
      id: this.id,
      cause: this.cause,
      sensorIds: [...this.sensors],
      narration: [...this.narration],
      closed: this.closed,
      startTime: this.startTime,
    };
  }
}
