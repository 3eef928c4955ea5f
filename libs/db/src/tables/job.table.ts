import type { ColumnType, Generated, Selectable } from 'kysely';

/** A job of a LimaCharlie service (lcservice's Job), and what LimaCharlie has been sent of it. */
export interface JobTable {
  id: string;
  oid: Generated<string>;
  service_name: Generated<string>;
  cause: Generated<string>;
  sensor_ids: Generated<string[]>;
  start_time: Generated<Date>;
  end_time: Date | null;
  entry_count: Generated<number>;
  start_delivered: Generated<boolean>;
  delivered_entries: Generated<number>;
  end_delivered: Generated<boolean>;
  /** The cause and sensors LimaCharlie was last sent (a change is delivered again). */
  delivered_cause: Generated<string>;
  delivered_sensor_ids: Generated<string[]>;
  /** The answer a gateway took and has not confirmed yet, and what it carried. */
  lease_id: string | null;
  lease_until: Date | null;
  lease_entries: number | null;
  lease_end: boolean | null;
  lease_cause: string | null;
  lease_sensor_ids: string[] | null;
  updated_at: Generated<Date>;
}

export type AttachmentRecord = { caption: string } & (
  | { type: 'hex_dump'; base64: string }
  | { type: 'table'; headers: string[]; rows: string[][] }
  | { type: 'json'; text: string }
  | { type: 'yaml'; text: string }
);

export interface JobEntryTable {
  job_id: string;
  seq: number;
  ts: Generated<Date>;
  message: string;
  important: Generated<boolean>;
  attachments: ColumnType<AttachmentRecord[], string, string>;
  /** Chosen by the writer: an entry sent again under the same id is stored once. */
  entry_id: string | null;
}

export type JobRow = Selectable<JobTable>;
export type JobEntryRow = Selectable<JobEntryTable>;
