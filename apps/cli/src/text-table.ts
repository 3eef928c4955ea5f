// Tables for people: a header line, then a line per row, columns two spaces apart.

/** Columns padded to their widest cell; numbers read better right-aligned (`align: 'right'`). */
export interface Column {
  title: string;
  align?: 'left' | 'right';
}

export function textTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((c, i) =>
    Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        return c.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...rows.map(line)].join('\n');
}

/**
 * Text on one line of at most `max` characters: every run of white space (line breaks, tabs)
 * becomes one space, and what does not fit ends in `…`.
 */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat]; // by code point: an emoji is not cut in half
  return chars.length <= max
    ? flat
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
