/**
 * A connection URL fit for a log line: its password replaced by `***` (a URL that does not parse
 * is not echoed at all, since it may still hold one).
 */
export function maskPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<unparseable URL>';
  }
  if (parsed.password === '') return url;
  parsed.password = '***';
  return parsed.toString();
}
