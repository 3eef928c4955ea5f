/** SQLSTATEs of a transaction PostgreSQL aborted only because of a concurrent one. */
const CONFLICTS = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure

/**
 * Runs `work` (a whole transaction, or one statement) again when PostgreSQL aborted it for a
 * deadlock or a serialization failure: it wrote nothing, and a second try usually passes. Any
 * other error, or the last try's, is thrown.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !CONFLICTS.has(code)) throw err;
    }
  }
}
