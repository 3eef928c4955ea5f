import type pg from 'pg';

export interface DatabaseHealthOptions {
  /** How often the database is asked. @default 2000 */
  intervalMs?: number;
  /** Called when reachability changes (not on every probe). */
  onChange: (reachable: boolean, reason: string) => void;
}

/**
 * Probes the database (`SELECT 1` through the pool) on an interval and reports when it becomes
 * unreachable or reachable again, so a server can say NOT_SERVING meanwhile. Returns a stop
 * function.
 */
export function watchDatabaseHealth(pool: pg.Pool, options: DatabaseHealthOptions): () => void {
  let reachable = true;
  let probing = false;
  const probe = async () => {
    if (probing) return;
    probing = true;
    try {
      await pool.query('SELECT 1');
      if (!reachable) {
        reachable = true;
        options.onChange(true, 'the database answers again');
      }
    } catch (err) {
      if (reachable) {
        reachable = false;
        options.onChange(false, err instanceof Error ? err.message : String(err));
      }
    } finally {
      probing = false;
    }
  };
  const timer = setInterval(() => void probe(), options.intervalMs ?? 2000);
  timer.unref();
  return () => clearInterval(timer);
}
