import { CallbackLoad } from './callback-load.js';
import { FAULTS } from './faults.js';
import { reconcileScores, roundCounts } from './reconcile.js';
import { ScoreLoad } from './score-load.js';
import { startTopology } from './topology.js';

export interface FaultRow {
  fault: string;
  /** From the kill until it served again; reported, never asserted. */
  recoverMs: number;
  acknowledged: number;
  found: number;
  lost: number;
  duplicated: number;
  jobsAcknowledged: number;
  jobsLost: number;
  /** Entries LimaCharlie was sent twice (an answer written, its confirmation lost with a kill). */
  jobsDuplicated: number;
  rounds: number;
  ticksDoubled: number;
}

export interface FaultSuiteOptions {
  /** Load before each kill, and after it recovered. */
  loadMs: number;
  /** Show the apps' output. */
  echo?: boolean;
  /** Called as each fault is done (for progress). */
  onFault?: (name: string, recoverMs: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the stack, runs check lifecycles, LC callbacks with jobs and check rounds, and while
 * under load kills each part in turn (SIGKILL); then reconciles what clients were told succeeded
 * against what is stored and delivered.
 */
export async function runFaultSuite(o: FaultSuiteOptions): Promise<FaultRow[]> {
  const t = await startTopology({ echo: o.echo ?? false });
  const scoringAddresses = ['scoring-a', 'scoring-b'].map(
    (n) => t.apps.get(n as 'scoring-a')!.address,
  );
  const scores = new ScoreLoad(scoringAddresses, t.adminToken, t.lifecycleServices);
  const callbacks = new CallbackLoad(() => t.apps.get('lc-gateway')!.address, t.lcSecret);
  const windows = new Map<string, { from: Date; to: Date; recoverMs: number }>();
  try {
    scores.start();
    callbacks.start();
    for (const fault of FAULTS) {
      scores.setPhase(fault.name);
      callbacks.setPhase(fault.name);
      const from = new Date();
      await sleep(o.loadMs);
      const killedAt = Date.now();
      const pid = fault.kill(t);
      await fault.recovered(t, pid);
      const recoverMs = Date.now() - killedAt;
      o.onFault?.(fault.name, recoverMs);
      await sleep(o.loadMs);
      windows.set(fault.name, { from, to: new Date(), recoverMs });
    }
    await scores.stop();
    await callbacks.stop();
    await callbacks.drain(Date.now() + 30_000);
    // Rounds still under way settle (a runner that died holds its checks until their lease ends).
    await sleep(2000);
    const stored = await reconcileScores(t.postgres.url, scores.acknowledged);
    const rows: FaultRow[] = [];
    for (const fault of FAULTS) {
      const w = windows.get(fault.name)!;
      const s = stored.get(fault.name) ?? { acknowledged: 0, found: 0, lost: 0, duplicated: 0 };
      const entries = [...(callbacks.acknowledged.get(fault.name) ?? [])];
      const rounds = await roundCounts(t.postgres.url, w.from, w.to);
      rows.push({
        fault: fault.name,
        recoverMs: w.recoverMs,
        ...s,
        jobsAcknowledged: entries.length,
        jobsLost: entries.filter((e) => !callbacks.delivered.has(e)).length,
        jobsDuplicated: entries.filter((e) => (callbacks.delivered.get(e) ?? 0) > 1).length,
        rounds: rounds.scored,
        ticksDoubled: rounds.doubled,
      });
    }
    return rows;
  } finally {
    scores.close();
    await t.stop();
  }
}
