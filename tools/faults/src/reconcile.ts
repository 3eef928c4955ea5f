import pg from 'pg';

export interface PhaseCounts {
  acknowledged: number;
  found: number;
  lost: number;
  duplicated: number;
}

/** What the database holds of the scores the load was told were stored, phase by phase. */
export async function reconcileScores(
  databaseUrl: string,
  acknowledged: Map<string, Set<string>>,
): Promise<Map<string, PhaseCounts>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ request_id: string; n: number }>(
      `SELECT request_id, count(*)::int AS n FROM score WHERE request_id LIKE 'fault:%' GROUP BY 1`,
    );
    const stored = new Map(rows.map((r) => [r.request_id, r.n]));
    const out = new Map<string, PhaseCounts>();
    for (const [phase, ids] of acknowledged) {
      let found = 0;
      let duplicated = 0;
      for (const id of ids) {
        const n = stored.get(id) ?? 0;
        if (n > 0) found++;
        if (n > 1) duplicated++;
      }
      out.set(phase, { acknowledged: ids.size, found, lost: ids.size - found, duplicated });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Check rounds scored in [from, to), and how many of their (service, round) got two scores. */
export async function roundCounts(
  databaseUrl: string,
  from: Date,
  to: Date,
): Promise<{ scored: number; doubled: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ request_id: string; n: number }>(
      `SELECT request_id, count(*)::int AS n FROM score WHERE request_id LIKE 'check:%' GROUP BY 1`,
    );
    let scored = 0;
    let doubled = 0;
    for (const { request_id: id, n } of rows) {
      const at = new Date(id.slice(id.indexOf(':', 6) + 1));
      if (at < from || at >= to) continue;
      scored++;
      if (n > 1) doubled++;
    }
    return { scored, doubled };
  } finally {
    await client.end();
  }
}
