import { createPromiseClient, healthStatus } from '@checkwire/grpc';
import { ScoringServiceService } from '@checkwire/proto';
import { retried } from './score-load.js';
import type { AppName, Topology } from './topology.js';

/** One thing killed with SIGKILL, and how to tell it works again. */
export interface Fault {
  name: string;
  /** Kills it; returns the pid killed. */
  kill(t: Topology): number;
  /** Resolves once it serves again (after the supervisor restarted it). */
  recovered(t: Topology, pid: number): Promise<void>;
}

async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe().catch(() => false))) await new Promise((r) => setTimeout(r, 50));
}

/** Resolves once the app runs again in a process other than `pid`. */
async function restarted(t: Topology, name: AppName, pid: number): Promise<void> {
  const app = t.apps.get(name)!;
  await until(() =>
    Promise.resolve(
      app.current !== undefined &&
        app.current.process.pid !== pid &&
        app.current.process.exitCode === null,
    ),
  );
}

/** A scoring call through `address` succeeds. */
async function scores(t: Topology, address: string): Promise<void> {
  const client = createPromiseClient(ScoringServiceService, address, { token: t.adminToken });
  try {
    await retried(() =>
      client.insertServiceScoreInProgress({ serviceId: t.lifecycleServices[0]! }),
    );
  } finally {
    client.close();
  }
}

function killApp(name: AppName, serves: (t: Topology, address: string) => Promise<void>): Fault {
  return {
    name,
    kill(t) {
      const pid = t.apps.get(name)!.current!.process.pid!;
      process.kill(pid, 'SIGKILL');
      return pid;
    },
    async recovered(t, pid) {
      await restarted(t, name, pid);
      await serves(t, t.apps.get(name)!.address);
    },
  };
}

const healthy = async (_t: Topology, address: string) =>
  until(async () => (await healthStatus(address)) === 'SERVING');

/** The faults, in the order the suite injects them. */
export const FAULTS: readonly Fault[] = [
  killApp('scoring-a', scores),
  killApp('jobs', healthy),
  killApp('lc-gateway', async (_t, url) => {
    await until(async () => (await fetch(url, { method: 'GET' })).status === 405);
  }),
  killApp('scheduler-a', healthy),
  killApp('runner-a', () => Promise.resolve()),
  {
    name: 'postgresql',
    kill(t) {
      const pid = t.postgres.pid;
      process.kill(pid, 'SIGKILL');
      return pid;
    },
    async recovered(t, pid) {
      await t.postgres.restartedAfter(pid);
      await scores(t, t.apps.get('scoring-a')!.address);
      await scores(t, t.apps.get('scoring-b')!.address);
    },
  },
];
