import type { LcAttachment, LcJob, LcNarration } from '@checkwire/lc-wire';
import type { Attachment, JobDelta, NarrationEntry } from '@checkwire/proto';

function attachment(a: Attachment): LcAttachment {
  const c = a.content;
  switch (c?.$case) {
    case 'hexDump':
      return {
        att_type: 'hex_dump',
        caption: a.caption,
        data: Buffer.from(c.value.data).toString('base64'),
      };
    case 'table':
      return {
        att_type: 'table',
        caption: a.caption,
        headers: c.value.headers,
        rows: c.value.rows.map((r) => r.cells),
      };
    case 'json':
      return { att_type: 'json', caption: a.caption, data: c.value.text };
    case 'yaml':
      return { att_type: 'yaml', caption: a.caption, data: c.value.text };
    case undefined:
      throw new Error('attachment without content');
  }
}

function narration(e: NarrationEntry): LcNarration {
  return {
    ts: e.time?.getTime() ?? 0,
    msg: e.message,
    attachments: e.attachments.map(attachment),
    is_important: e.important,
  };
}

/**
 * A job change in lcservice's format: a new job carries start, cause and sensors; a job seen
 * before carries only what changed: its cause, its whole sensor list when sensors were added (as
 * an lcservice Job sends every sid it was given), new narration, its end.
 */
export function lcJob(delta: JobDelta): LcJob {
  const job = delta.job!;
  const out: LcJob = { id: job.id };
  if (delta.isNew) {
    out.start = job.startTime?.getTime() ?? Date.now();
    out.cause = job.cause;
    out.sid = job.sensorIds;
  } else {
    if (delta.causeChanged) out.cause = job.cause;
    if (delta.sensorsChanged) out.sid = job.sensorIds;
  }
  if (job.narration.length > 0) out.hist = job.narration.map(narration);
  if (delta.newlyClosed && job.endTime !== undefined) out.end = job.endTime.getTime();
  return out;
}
