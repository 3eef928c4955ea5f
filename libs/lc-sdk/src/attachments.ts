import { stringify } from 'yaml';
import { pythonJsonDumps } from '@checkwire/lc-wire';
import type { Attachment } from '@checkwire/proto';

/** Bytes shown as a hex dump (lcservice HexDumpAttachment). */
export function hexDump(caption: string, data: Uint8Array | string): Attachment {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return { caption, content: { $case: 'hexDump', value: { data: bytes } } };
}

/** A table (lcservice TableAttachment): headers and rows of cells, rendered as text. */
export function table(caption: string, headers: string[], rows: unknown[][]): Attachment {
  return {
    caption,
    content: {
      $case: 'table',
      value: { headers, rows: rows.map((r) => ({ cells: r.map((c) => String(c)) })) },
    },
  };
}

/** A JSON document (lcservice JsonAttachment), rendered as Python's json.dumps(indent=2). */
export function json(caption: string, data: unknown): Attachment {
  return {
    caption,
    content: { $case: 'json', value: { text: pythonJsonDumps(data, { indent: 2 }) } },
  };
}

/** A YAML document (lcservice YamlAttachment). */
export function yaml(caption: string, data: unknown): Attachment {
  return { caption, content: { $case: 'yaml', value: { text: stringify(data) } } };
}
