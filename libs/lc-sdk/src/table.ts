import type { Attachment } from '@checkwire/proto';

/** Every cell is sent as text (the contract's cells are strings; see libs/lc-gateway README). */
const cell = (value: unknown): string => String(value);

function row(fields: unknown, what: string): unknown[] {
  if (!Array.isArray(fields)) {
    throw new TypeError(`${what} must be a list, not ${fields === null ? 'null' : typeof fields}`);
  }
  return fields as unknown[];
}

/**
 * lcservice's Table attachment, built row by row: `new Table('sensors', ['sid']).addRow(['s1'])`,
 * then narrate it (or `toAttachment()`). Headers and each row must be lists, as lcservice checks.
 */
export class Table {
  private readonly headers: string[];
  private readonly rows: string[][] = [];

  constructor(
    readonly caption: string,
    headers: readonly unknown[],
    rows: readonly (readonly unknown[])[] = [],
  ) {
    this.headers = row(headers, 'Table headers').map(cell);
    for (const r of rows) this.addRow(r);
  }

  addRow(fields: readonly unknown[]): this {
    this.rows.push(row(fields, 'Table row').map(cell));
    return this;
  }

  /** How many rows (lcservice `length()`). */
  get length(): number {
    return this.rows.length;
  }

  toAttachment(): Attachment {
    return {
      caption: this.caption,
      content: {
        $case: 'table',
        value: {
          headers: [...this.headers],
          rows: this.rows.map((cells) => ({ cells: [...cells] })),
        },
      },
    };
  }
}
