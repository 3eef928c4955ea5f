/** Exponential back-off with full jitter: up to base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 300_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
