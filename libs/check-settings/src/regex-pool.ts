import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Patterns whose cost could hold the event loop (RE2 is linear in the text, but times the
// pattern's size: a 1500-instruction pattern on a MiB ran 65 s here) run in worker threads,
// each job with a time budget: a worker over it is terminated, and the job answers 'over budget'.

// CommonJS evaluated in the worker: no file of its own, so a bundled app needs nothing beside its
// bundle. re2js is required by the absolute path resolved here (node_modules stays external).
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { RE2JS } = require(workerData.re2js);
const compiled = new Map();
parentPort.on('message', ({ patterns, text }) => {
  const holds = patterns.map((p) => {
    let re = compiled.get(p);
    if (re === undefined) {
      if (compiled.size >= 256) compiled.clear();
      re = RE2JS.compile(p);
      compiled.set(p, re);
    }
    return re.matcher(text).find();
  });
  parentPort.postMessage(holds);
});
`;

const RE2JS_PATH = createRequire(import.meta.url).resolve('re2js');

interface Job {
  patterns: string[];
  text: string;
  budgetMs: number;
  settle: (answer: boolean[] | 'over budget' | Error) => void;
}

/** A few workers (at most the cores, at most 2), started when first needed, never keeping the process alive. */
export class RegexPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private running = 0;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism()))) {}

  /** Whether each pattern matches `text`, or 'over budget' when they took longer than `budgetMs`. */
  match(patterns: string[], text: string, budgetMs: number): Promise<boolean[] | 'over budget'> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        patterns,
        text,
        budgetMs,
        settle: (answer) => (answer instanceof Error ? reject(answer) : resolve(answer)),
      });
      this.next();
    });
  }

  private next(): void {
    if (this.queue.length === 0) return;
    const worker = this.idle.pop() ?? (this.running < this.size ? this.start() : undefined);
    if (worker === undefined) return;
    this.run(worker, this.queue.shift()!);
  }

  private start(): Worker {
    this.running++;
    const worker = new Worker(SOURCE, { eval: true, workerData: { re2js: RE2JS_PATH } });
    worker.unref();
    return worker;
  }

  private run(worker: Worker, job: Job): void {
    const done = (answer: boolean[] | 'over budget' | Error, keep: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError);
      if (keep) this.idle.push(worker);
      else {
        this.running--;
        void worker.terminate();
      }
      job.settle(answer);
      this.next();
    };
    const onMessage = (holds: boolean[]) => done(holds, true);
    const onError = (err: Error) => done(err, false);
    const timer = setTimeout(() => done('over budget', false), job.budgetMs);
    worker.on('message', onMessage).on('error', onError);
    worker.postMessage({ patterns: job.patterns, text: job.text });
  }
}
