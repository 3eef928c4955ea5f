/** A time from the API (ISO 8601, or null) as the viewer's locale writes it; '' when absent. */
export const when = (iso: string | null): string =>
  iso === null ? '' : new Date(iso).toLocaleString();
