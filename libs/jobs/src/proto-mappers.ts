import type { AttachmentRecord, JobEntryRow, JobRow } from '@checkwire/db';
import { InvalidArgumentError } from '@checkwire/errors';
import type { Attachment, Job, JobUpdate, NarrationEntry } from '@checkwire/proto';
import type { NewEntry } from './job.repository.js';
import type { JobUpdateInput, JobView } from './jobs.service.js';

export function attachmentFromProto(field: string, a: Attachment): AttachmentRecord {
  const c = a.content;
  switch (c?.$case) {
    case 'hexDump':
      return {
        caption: a.caption,
        type: 'hex_dump',
        base64: Buffer.from(c.value.data).toString('base64'),
      };
    case 'table':
      return {
        caption: a.caption,
        type: 'table',
        headers: c.value.headers,
        rows: c.value.rows.map((r) => r.cells),
      };
    case 'json':
      return { caption: a.caption, type: 'json', text: c.value.text };
    case 'yaml':
      return { caption: a.caption, type: 'yaml', text: c.value.text };
    case undefined:
      throw new InvalidArgumentError(field, 'needs one of hex_dump, table, json, yaml');
  }
}

export function attachmentToProto(a: AttachmentRecord): Attachment {
  switch (a.type) {
    case 'hex_dump':
      return {
        caption: a.caption,
        content: { $case: 'hexDump', value: { data: Buffer.from(a.base64, 'base64') } },
      };
    case 'table':
      return {
        caption: a.caption,
        content: {
          $case: 'table',
          value: { headers: a.headers, rows: a.rows.map((cells) => ({ cells })) },
        },
      };
    case 'json':
      return { caption: a.caption, content: { $case: 'json', value: { text: a.text } } };
    case 'yaml':
      return { caption: a.caption, content: { $case: 'yaml', value: { text: a.text } } };
  }
}

export function entryFromProto(field: string, e: NarrationEntry): NewEntry {
  return {
    ...(e.id === undefined || e.id === '' ? {} : { id: e.id }),
    ...(e.time === undefined ? {} : { ts: e.time }),
    message: e.message,
    important: e.important,
    attachments: e.attachments.map((a, i) =>
      attachmentFromProto(`${field === '' ? '' : `${field}.`}attachments[${i}]`, a),
    ),
  };
}

export function entryToProto(row: JobEntryRow): NarrationEntry {
  return {
    time: row.ts,
    message: row.message,
    important: row.important,
    attachments: row.attachments.map(attachmentToProto),
    ...(row.entry_id === null ? {} : { id: row.entry_id }),
  };
}

export function jobToProto(job: JobRow, entries: JobEntryRow[] = []): Job {
  return {
    id: job.id,
    oid: job.oid,
    serviceName: job.service_name,
    cause: job.cause,
    sensorIds: job.sensor_ids,
    narration: entries.map(entryToProto),
    startTime: job.start_time,
    endTime: job.end_time ?? undefined,
  };
}

export const viewToProto = (v: JobView): Job => jobToProto(v.job, v.entries);

export function updateFromProto(field: string, u: JobUpdate): JobUpdateInput {
  return {
    id: u.id,
    cause: u.cause,
    sensorIds: u.sensorIds,
    narration: u.narration.map((e, i) => entryFromProto(`${field}.narration[${i}]`, e)),
    closed: u.closed,
    startTime: u.startTime,
  };
}
