import { stringify } from 'yaml';
import { pythonJsonDumps } from '@checkwire/lc-wire';
import type { Attachment } from '@checkwire/proto';
import { Table } from './table.js';

/** Bytes shown as a hex dump (lcservice HexDumpAttachment). */
export function hexDump(caption: string, data: Uint8Array | string): Attachment {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return { caption, content: { $case: 'hexDump', value: { data: bytes } } };
}

/** A table (lcservice TableAttachment): headers and rows of cells, rendered as text. */
export function table(caption: string, headers: unknown[], rows: unknown[][]): Attachment {
  return new Table(caption, headers, rows).toAttachment();
}

/** JSON and YAML attachments take a dict or a list, as lcservice's do. */
function document(kind: string, data: unknown): object {
  if (typeof data !== 'object' || data === null) {
    throw new TypeError(
      `${kind} attachment data must be an object or a list, not ${data === null ? 'null' : typeof data}`,
    );
  }
  return data;
}

/** A JSON document (lcservice JsonAttachment), rendered as Python's json.dumps(indent=2). */
export function json(caption: string, data: unknown): Attachment {
  const text = pythonJsonDumps(document('JSON', data), { indent: 2 });
  return { caption, content: { $case: 'json', value: { text } } };
}

/**
 * A YAML document (lcservice YamlAttachment), rendered as PyYAML's
 * `safe_dump(data, default_flow_style=False)` does: block style, keys sorted, list items not
 * indented under their key, single quotes, and YAML 1.1 quoting (so `'yes'` stays a string for
 * a 1.1 reader). Unlike PyYAML, non-ASCII text is written as is rather than escaped, and the
 * 1.1 booleans `y`/`n` are quoted.
 */
export function yaml(caption: string, data: unknown): Attachment {
  const text = stringify(document('YAML', data), {
    sortMapEntries: true,
    indentSeq: false,
    singleQuote: true,
    version: '1.1',
  });
  return { caption, content: { $case: 'yaml', value: { text } } };
}
