import type { Db, ScoreRow } from '@checkwire/db';
import { findScoreByRequestId, type ScoreInput } from './score.repository.js';

export interface ScoredResult {
  score: ScoreRow;
  /** True when request_id matched an earlier score: nothing was written. */
  replayed: boolean;
}

/**
 * Pairs each request with its score: keyed entries by (service, request_id), the rest in order
 * (rows come back in insertion order, which follows the request). A keyed entry with no new row
 * was a retry: its first score is fetched.
 */
export async function matchBatch(
  trx: Db,
  inputs: ScoreInput[],
  written: ScoreRow[],
): Promise<ScoredResult[]> {
  const keyed = new Map<string, ScoreRow>();
  const unkeyed: ScoreRow[] = [];
  for (const row of written) {
    if (row.request_id === null) unkeyed.push(row);
    else keyed.set(`${row.service_id}/${row.request_id}`, row);
  }
  let next = 0;
  const claimed = new Set<string>();
  const results: ScoredResult[] = [];
  for (const input of inputs) {
    if (input.requestId === null) {
      const row = unkeyed[next++];
      if (row === undefined) throw new Error('batch insert returned fewer rows than it was given');
      results.push({ score: row, replayed: false });
      continue;
    }
    const key = `${input.serviceId}/${input.requestId}`;
    const fresh = keyed.get(key);
    if (fresh !== undefined && !claimed.has(key)) {
      claimed.add(key);
      results.push({ score: fresh, replayed: false });
      continue;
    }
    const first = fresh ?? (await findScoreByRequestId(trx, input.serviceId, input.requestId));
    if (first === undefined) throw new Error(`batch score ${key} was neither written nor found`);
    results.push({ score: first, replayed: true });
  }
  return results;
}
