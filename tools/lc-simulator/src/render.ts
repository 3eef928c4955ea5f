import type { LcAttachment, LcJob, LcResponseBody } from '@checkwire/lc-wire';

/** `hexdump -C` style: offset, 16 bytes in hex, then printable ASCII. */
export function hexDumpText(bytes: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const chunk = bytes.subarray(off, off + 16);
    const hex = [...chunk].map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = [...chunk].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'));
    lines.push(
      `${off.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii.join('')}|`,
    );
  }
  lines.push(bytes.length.toString(16).padStart(8, '0'));
  return lines.join('\n');
}

/** A plain text table with a header rule. */
export function tableText(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

function attachment(a: LcAttachment): string {
  const title = `[${a.att_type}] ${a.caption}`;
  switch (a.att_type) {
    case 'hex_dump':
      return `${title}\n${indent(hexDumpText(Buffer.from(a.data, 'base64')), '  ')}`;
    case 'table':
      return `${title}\n${indent(tableText(a.headers, a.rows), '  ')}`;
    case 'json':
    case 'yaml':
      return `${title}\n${indent(a.data.trimEnd(), '  ')}`;
  }
}

const time = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

function job(j: LcJob): string {
  const head = [`job ${j.id}`];
  if (j.cause !== undefined) head.push(`  cause:   ${j.cause}`);
  if (j.start !== undefined) head.push(`  started: ${time(j.start)}`);
  if (j.sid !== undefined && j.sid.length > 0) head.push(`  sensors: ${j.sid.join(', ')}`);
  for (const e of j.hist ?? []) {
    head.push(`  ${time(e.ts)} ${e.is_important ? '(!) ' : ''}${e.msg}`);
    for (const a of e.attachments) head.push(indent(attachment(a), '      '));
  }
  if (j.end !== undefined) head.push(`  ended:   ${time(j.end)}`);
  return head.join('\n');
}

/** A gateway's answer: an LC response body, or the gateway's own `{error}` refusal. */
export type Answer = LcResponseBody | { error: string };

/** Whether parsed JSON is an answer renderResponse can show (else it is printed as it came). */
export function isAnswer(json: unknown): json is Answer {
  if (typeof json !== 'object' || json === null) return false;
  return 'success' in json
    ? typeof json.success === 'boolean'
    : 'error' in json && typeof json.error === 'string';
}

/** The answer as a person wants to read it. */
export function renderResponse(status: number, body: Answer): string {
  if (!('success' in body)) return `HTTP ${status}: ${body.error}`;
  const lines = [
    `HTTP ${status}: ${body.success ? 'success' : 'failure'}${
      body.success ? '' : body.retry ? ' (LimaCharlie will retry)' : ' (no retry)'
    }`,
  ];
  if (body.error !== undefined) lines.push(`error: ${body.error}`);
  if (Object.keys(body.data ?? {}).length > 0)
    lines.push(`data: ${JSON.stringify(body.data, null, 2)}`);
  for (const j of body.jobs ?? []) lines.push(job(j));
  return lines.join('\n');
}
