import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import { ScoringServiceService } from '@checkwire/proto';

type Scoring = PromiseClient<typeof ScoringServiceService>;

/**
 * Check lifecycles (in progress, score, done) from several workers against both scoring
 * replicas in turn, each step tried again until it succeeds (a score keeps its request_id, so a
 * retry can never store it twice). What a worker was told succeeded is `acknowledged`, by phase.
 */
export class ScoreLoad {
  /** request_id of every score answered OK, by phase. */
  readonly acknowledged = new Map<string, Set<string>>();
  private readonly clients: Scoring[];
  private phase = 'start';
  private running = false;
  private workers: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    addresses: string[],
    token: string,
    private readonly services: number[],
    private readonly concurrency = 8,
  ) {
    this.clients = addresses.map((a) => createPromiseClient(ScoringServiceService, a, { token }));
  }

  setPhase(phase: string): void {
    this.phase = phase;
  }

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, (_, w) => this.work(w));
  }

  /** Stops starting lifecycles; lets the ones under way finish (their steps retried). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  close(): void {
    for (const c of this.clients) c.close();
  }

  private async work(worker: number): Promise<void> {
    let turn = worker;
    while (this.running) {
      const phase = this.phase;
      const serviceId = this.services[turn % this.services.length]!;
      const client = this.clients[turn % this.clients.length]!;
      const requestId = `fault:${phase}:${worker}:${++this.sequence}`;
      turn++;
      await retried(() => client.insertServiceScoreInProgress({ serviceId }));
      await retried(() => client.insertServiceScore({ serviceId, result: 1, requestId }));
      let acknowledged = this.acknowledged.get(phase);
      if (acknowledged === undefined) this.acknowledged.set(phase, (acknowledged = new Set()));
      acknowledged.add(requestId);
      await retried(() => client.insertServiceScoreDone({ serviceId }));
    }
  }
}

/** Runs `call` until it succeeds, pausing a little after each failure. */
export async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
