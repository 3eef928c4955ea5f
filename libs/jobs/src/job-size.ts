import type { AttachmentRecord } from '@checkwire/db';

/**
 * Sizes of what a TakeUndeliveredJobUpdates answer carries, as an upper bound of their protobuf
 * encoding: every string or bytes field counted with its bytes plus 6 (a tag and a length prefix
 * take at most that below 2^28 bytes), every nested message with 12 more. Upper bounds, so an
 * answer filled up to its budget never exceeds the budget once encoded.
 */
const FIELD = 6;
const MESSAGE = 12;

/** Most bytes one answer carries: under gRPC's default 4 MiB receive limit, with room to spare. */
export const ANSWER_BUDGET_BYTES = 3 * 1024 * 1024;

/**
 * Most bytes one narration entry may have. An entry is never split across answers, so one that
 * could not fit an answer beside its job's cause and sensors is refused when it is written.
 */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/** Most sensors a job may have (each id at most 200 characters). */
export const MAX_JOB_SENSORS = 1000;

const str = (s: string) => Buffer.byteLength(s, 'utf8') + FIELD;

function attachmentBytes(a: AttachmentRecord): number {
  const caption = str(a.caption);
  switch (a.type) {
    case 'hex_dump':
      return MESSAGE + caption + Math.ceil((a.base64.length * 3) / 4) + FIELD;
    case 'table':
      return (
        MESSAGE * 2 +
        caption +
        a.headers.reduce((n, h) => n + str(h), 0) +
        a.rows.reduce((n, row) => n + MESSAGE + row.reduce((m, c) => m + str(c), 0), 0)
      );
    case 'json':
    case 'yaml':
      return MESSAGE * 2 + caption + str(a.text);
  }
}

/** An entry's size as an answer carries it (id, time, message, importance, attachments). */
export function entryBytes(e: {
  message: string;
  attachments: readonly AttachmentRecord[];
  entry_id?: string | null;
}): number {
  return (
    MESSAGE * 2 +
    str(e.entry_id ?? '') +
    str(e.message) +
    e.attachments.reduce((n, a) => n + attachmentBytes(a), 0)
  );
}

/** A job's size in an answer without its narration (ids, cause, sensors, times, flags). */
export function jobHeaderBytes(j: {
  id: string;
  oid: string;
  service_name: string;
  cause: string;
  sensor_ids: readonly string[];
}): number {
  return (
    MESSAGE * 4 +
    str(j.id) +
    str(j.oid) +
    str(j.service_name) +
    str(j.cause) +
    j.sensor_ids.reduce((n, s) => n + str(s), 0)
  );
}
