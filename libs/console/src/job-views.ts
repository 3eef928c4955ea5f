import type { Attachment, Job, NarrationEntry } from '@checkwire/proto';

/** An attachment as the browser renders it: its kind, and its content as text (bytes: base64). */
export function attachmentView(a: Attachment) {
  const base = { caption: a.caption };
  switch (a.content?.$case) {
    case 'hexDump':
      return {
        ...base,
        kind: 'hex' as const,
        base64: Buffer.from(a.content.value.data).toString('base64'),
      };
    case 'table':
      return {
        ...base,
        kind: 'table' as const,
        headers: a.content.value.headers,
        rows: a.content.value.rows.map((r) => r.cells),
      };
    case 'json':
      return { ...base, kind: 'json' as const, text: a.content.value.text };
    case 'yaml':
      return { ...base, kind: 'yaml' as const, text: a.content.value.text };
    default:
      return { ...base, kind: 'empty' as const };
  }
}

export function narrationView(n: NarrationEntry) {
  return {
    id: n.id ?? null,
    time: n.time?.toISOString() ?? null,
    message: n.message,
    important: n.important,
    attachments: n.attachments.map(attachmentView),
  };
}

export function jobView(j: Job) {
  return {
    id: j.id,
    oid: j.oid,
    serviceName: j.serviceName,
    cause: j.cause,
    sensorIds: j.sensorIds,
    startTime: j.startTime?.toISOString() ?? null,
    endTime: j.endTime?.toISOString() ?? null,
    narration: j.narration.map(narrationView),
  };
}
