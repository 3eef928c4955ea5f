import { randomUUID } from 'node:crypto';
import type { Attachment, JobUpdate, NarrationEntry } from '@checkwire/proto';

/**
 * A job, as lcservice's Job: narrate what happens, with attachments; return it in a response
 * (the gateway stores it and tells LimaCharlie). The same object may be returned again later:
 * only entries the store has not seen are added.
 */
export class Job {
  readonly id: string;
  readonly startTime = new Date();
  private cause: string;
  private readonly sensors = new Set<string>();
  private readonly narration: NarrationEntry[] = [];
  private closed = false;

  constructor(cause = '', id: string = randomUUID()) {
    this.cause = cause;
    this.id = id;
  }

  narrate(
    message: string,
    options: { important?: boolean; attachments?: Attachment[] } = {},
  ): this {
    this.narration.push({
      time: new Date(),
      message,
      important: options.important ?? false,
      attachments: options.attachments ?? [],
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

  /** What the handler's response carries about this job. */
  toUpdate(): JobUpdate {
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
