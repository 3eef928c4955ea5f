import type { Logger } from '@checkwire/log';
import { startApp, stopApp, type AppSpec, type RunningApp } from './child-app.js';

export interface SupervisorOptions {
  /** More crashes than this within `windowMs` and the app is given up. @default 5 */
  maxRestarts?: number;
  /** @default 60000 */
  windowMs?: number;
  /** The first wait before a restart; it doubles with each crash in the window. @default 500 */
  initialBackoffMs?: number;
  /** @default 10000 */
  maxBackoffMs?: number;
  log: Logger;
  /** Called once the app has been given up. */
  onGiveUp?: (name: string) => void;
}

/** `host:port` or `http://host:port` → port (0 when there is none). */
function portOf(address: string): number {
  const match = /:(\d+)\/?$/.exec(address);
  return match === null ? 0 : Number(match[1]);
}

/**
 * Keeps an app running: started once and then, whenever it exits without being asked to, started
 * again after a back-off, on the same port (so the apps that reach it find it again), with a log
 * line each time. An app that keeps crashing (more than `maxRestarts` within `windowMs`) is given
 * up, loudly.
 */
export class SupervisedApp {
  private running: RunningApp | undefined;
  private stopping = false;
  private crashes: number[] = [];
  private pinnedPort: number | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarted: Promise<void> = Promise.resolve();
  /** Aborted by stop(): kills a start still waiting for its ready line. */
  private readonly stopped = new AbortController();
  /** The start in progress, if any (stop() waits for it to settle). */
  private launching: Promise<unknown> = Promise.resolve();
  /** How many times it was started again. */
  restarts = 0;

  constructor(
    readonly spec: AppSpec & {
      /** The variable its port is set with, e.g. SCORING_PORT. */ portEnv?: string;
    },
    private readonly env: () => NodeJS.ProcessEnv,
    private readonly options: SupervisorOptions,
  ) {}

  get current(): RunningApp | undefined {
    return this.running;
  }

  get address(): string {
    if (this.running === undefined) throw new Error(`${this.spec.name} is not running`);
    return this.running.address;
  }

  /** The first start: resolves once it is ready, rejects if it exits before. */
  async start(): Promise<RunningApp> {
    const app = await this.launch();
    this.pinnedPort = portOf(app.address);
    return app;
  }

  /**
   * Stops it (SIGTERM, then SIGKILL) and keeps it stopped, a start still in progress included
   * (its process is killed); a later start() is refused.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    clearTimeout(this.restartTimer);
    await this.restarted;
    await this.launching;
    if (this.running !== undefined) await stopApp(this.running);
  }

  /**
   * Stops the running process and starts it again at once, on the same port (a change of its
   * source, in `npm run dev`). Not a crash: no back-off, nothing counted.
   */
  async restartNow(): Promise<RunningApp | undefined> {
    if (this.stopping) return undefined;
    await this.restarted;
    const old = this.running;
    this.running = undefined; // its exit is asked for, not a crash
    if (old !== undefined) await stopApp(old);
    return this.launch();
  }

  private launch(): Promise<RunningApp> {
    if (this.stopping) {
      return Promise.reject(new Error(`${this.spec.name} is stopping: not started`));
    }
    const env = this.env();
    if (this.spec.portEnv !== undefined && this.pinnedPort !== undefined && this.pinnedPort > 0) {
      env[this.spec.portEnv] = String(this.pinnedPort);
    }
    const started = startApp(this.spec, env, this.stopped.signal).then((app) => {
      this.running = app;
      void app.exited.then((code) => this.exited(app, code));
      return app;
    });
    this.launching = started.catch(() => undefined);
    return started;
  }

  private exited(app: RunningApp, code: number | null): void {
    if (this.stopping || this.running !== app) return;
    const how = code === null ? `signal ${app.process.signalCode ?? '?'}` : `code ${code}`;
    this.crashed(`exited unexpectedly (${how})`);
  }

  private crashed(what: string): void {
    const { maxRestarts = 5, windowMs = 60_000, log } = this.options;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < windowMs), now];
    if (this.crashes.length > maxRestarts) {
      log.error(
        `${this.spec.name} ${what}; it crashed ${this.crashes.length} times within ` +
          `${windowMs / 1000} s, so it is given up (its output is above). The other apps keep running.`,
      );
      this.options.onGiveUp?.(this.spec.name);
      return;
    }
    const initial = this.options.initialBackoffMs ?? 500;
    const waitMs = Math.min(
      this.options.maxBackoffMs ?? 10_000,
      initial * 2 ** (this.crashes.length - 1),
    );
    log.warn(
      `${this.spec.name} ${what}; restarting it in ${(waitMs / 1000).toFixed(1)} s ` +
        `(crash ${this.crashes.length} of at most ${maxRestarts} within ${windowMs / 1000} s)`,
    );
    this.restartTimer = setTimeout(() => {
      this.restarted = this.restart();
    }, waitMs);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    const started = Date.now();
    try {
      const app = await this.launch();
      this.restarts++;
      this.options.log.info(
        `${this.spec.name} is back on ${app.address} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (err) {
      this.crashed(`failed to start again (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}
