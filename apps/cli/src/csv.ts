/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
/** What a CSV cell holds. */
export type Cell = string | number | boolean | Date | null | undefined;

export function csvField(value: Cell): string {
  const text =
    value === undefined || value === null
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (values: readonly Cell[]): string => values.map(csvField).join(',');
