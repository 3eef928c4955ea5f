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

  /** Stops it (SIGTERM, then SIGKILL) and keeps it stopped. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.restarted;
    if (this.running !== undefined) await stopApp(this.running);
  }

  private async launch(): Promise<RunningApp> {
    const env = this.env();
    if (this.spec.portEnv !== undefined && this.pinnedPort !== undefined && this.pinnedPort > 0) {
      env[this.spec.portEnv] = String(this.pinnedPort);
    }
    const app = await startApp(this.spec, env);
    this.running = app;
    void app.exited.then((code) => this.exited(app, code));
    return app;
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
