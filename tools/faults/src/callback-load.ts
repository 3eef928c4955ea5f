import { canonicalBody, sign } from '@checkwire/lc-wire';

interface LcAnswer {
  success?: boolean;
  jobs?: { id: string; hist?: { msg: string }[] }[];
}

/**
 * LimaCharlie, as the fault suite plays it: signed `request` callbacks to the gateway, each
 * narrating a new entry into its org's job. An entry whose callback was answered success is
 * acknowledged (the gateway stored it); every entry the answers carry is counted as delivered.
 */
export class CallbackLoad {
  readonly acknowledged = new Map<string, Set<string>>();
  /** Entry → how many answers carried it. */
  readonly delivered = new Map<string, number>();
  private phase = 'start';
  private running = false;
  private workers: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    private readonly url: () => string,
    private readonly secret: string,
    private readonly orgs = 4,
  ) {}

  setPhase(phase: string): void {
    this.phase = phase;
  }

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.orgs }, (_, org) => this.work(org));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  /** Every acknowledged entry not delivered yet. */
  undelivered(): string[] {
    return [...this.acknowledged.values()].flatMap((set) =>
      [...set].filter((e) => !this.delivered.has(e)),
    );
  }

  /**
   * Callbacks without new entries for every org until everything acknowledged has been delivered
   * (leases of answers that were never written run out first) or `deadline` passes.
   */
  async drain(deadline: number): Promise<void> {
    while (this.undelivered().length > 0 && Date.now() < deadline) {
      for (let org = 0; org < this.orgs; org++) await this.post(org, undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async work(org: number): Promise<void> {
    while (this.running) {
      const entry = `entry:${this.phase}:${org}:${++this.sequence}`;
      const phase = this.phase;
      const answer = await this.post(org, entry);
      if (answer?.success === true) {
        let acknowledged = this.acknowledged.get(phase);
        if (acknowledged === undefined) this.acknowledged.set(phase, (acknowledged = new Set()));
        acknowledged.add(entry);
      } else {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private async post(org: number, entry: string | undefined): Promise<LcAnswer | undefined> {
    const body = canonicalBody({
      version: 1,
      etype: 'request',
      oid: `org-${org}`,
      jwt: 'jwt',
      mid: `mid-${++this.sequence}`,
      deadline: Date.now() / 1000 + 30,
      data: entry === undefined ? { org } : { org, entry },
    });
    try {
      const res = await fetch(`${this.url()}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'lc-svc-sig': sign(this.secret, body) },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status !== 200) return undefined;
      const answer = (await res.json()) as LcAnswer;
      for (const job of answer.jobs ?? []) {
        for (const h of job.hist ?? []) {
          this.delivered.set(h.msg, (this.delivered.get(h.msg) ?? 0) + 1);
        }
      }
      return answer;
    } catch {
      return undefined;
    }
  }
}
