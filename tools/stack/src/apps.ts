import type { AppSpec } from '@checkwire/proc';
import type { TokenApp } from './secrets.js';

/** What an app needs from the ones started before it. */
export interface StackContext {
  databaseUrl: string;
  /** Each calling app's own token (minted by the stack once scoring has migrated the database). */
  tokens: Map<TokenApp, string>;
  /** The example LC service's origin secret. */
  lcSecret: string;
  /** The bearer token the example LC handler requires (new on every start). */
  lcHandlerToken: string;
  /** Addresses of the apps started so far, by name. */
  addresses: Map<string, string>;
}

export interface StackApp {
  /** The app, and the variable its port is set with (kept across restarts). */
  spec: AppSpec & { portEnv?: string };
  /**
   * The apps whose addresses it is given. One listening on a fixed port (the default) is known
   * before it starts, so this app need not wait for it; one on port 0 is waited for.
   */
  needs: string[];
  /**
   * The apps it must find listening when it starts: those it calls at once, where a refused first
   * connection would leave its gRPC channel backing off (about a second) just as the stack says
   * ready. The others it calls on its own schedule and retries.
   */
  after: string[];
  /** Extra environment, from what is already running. */
  env: (ctx: StackContext) => Record<string, string>;
}

/**
 * What `npm start` runs. Each app starts as soon as the ones it is `after` are ready (and those it
 * `needs` have an address), so apps that do not need each other start together; they reach each
 * other over the network only.
 */
export const STACK_APPS: StackApp[] = [
  {
    spec: {
      name: 'scoring',
      portEnv: 'SCORING_PORT',
      entry: 'apps/scoring/src/main.ts',
      ready: /gRPC listening on ([^\s"]+)/,
    },
    needs: [],
    after: [],
    env: () => ({}),
  },
  {
    spec: {
      name: 'jobs',
      portEnv: 'JOBS_PORT',
      entry: 'apps/jobs/src/main.ts',
      ready: /gRPC listening on ([^\s"]+)/,
    },
    needs: [],
    after: [],
    env: () => ({}),
  },
  {
    spec: {
      name: 'console',
      portEnv: 'CONSOLE_PORT',
      entry: 'apps/console/src/main.ts',
      ready: /HTTP listening on ([^\s"]+)/,
    },
    needs: ['scoring', 'jobs'],
    after: [],
    env: (ctx) => ({
      SCORING_ADDRESS: ctx.addresses.get('scoring')!,
      JOBS_ADDRESS: ctx.addresses.get('jobs')!,
    }),
  },
  {
    spec: {
      name: 'lc-example',
      portEnv: 'LC_EXAMPLE_PORT',
      entry: 'apps/lc-example/src/main.ts',
      ready: /LcHandlerService listening on ([^\s"]+)/,
    },
    needs: [],
    after: [],
    env: (ctx) => ({ LC_HANDLER_TOKEN: ctx.lcHandlerToken }),
  },
  {
    spec: {
      name: 'scheduler',
      portEnv: 'SCHEDULER_PORT',
      entry: 'apps/scheduler/src/main.ts',
      ready: /gRPC listening on ([^\s"]+)/,
    },
    needs: ['scoring', 'jobs', 'lc-example'],
    after: [],
    env: (ctx) => ({
      // The route's secret too: the scheduler's own org_per_1h tasks sensors for an interactive
      // handler with investigation ids only the secret can make.
      SCHEDULER_LC_HANDLERS: JSON.stringify([
        {
          name: 'example',
          handler: ctx.addresses.get('lc-example'),
          token: ctx.lcHandlerToken,
          secret: ctx.lcSecret,
        },
      ]),
      // The example extension's continuations, delivered to the example handler's port.
      SCHEDULER_LC_EXTENSIONS: JSON.stringify([
        {
          name: 'example-ext',
          handler: ctx.addresses.get('lc-example'),
          token: ctx.lcHandlerToken,
        },
      ]),
      SCORING_ADDRESS: ctx.addresses.get('scoring')!,
      JOBS_ADDRESS: ctx.addresses.get('jobs')!,
      CHECKWIRE_TOKEN: ctx.tokens.get('scheduler')!,
    }),
  },
  {
    spec: {
      name: 'lc-gateway',
      portEnv: 'LC_GATEWAY_PORT',
      entry: 'apps/lc-gateway/src/main.ts',
      ready: /HTTP listening on ([^\s"]+)/,
    },
    needs: ['jobs', 'scheduler', 'lc-example'],
    after: ['jobs', 'scheduler', 'lc-example'],
    env: (ctx) => ({
      LC_GATEWAY_ROUTES: JSON.stringify([
        {
          name: 'example',
          secret: ctx.lcSecret,
          handler: ctx.addresses.get('lc-example'),
          token: ctx.lcHandlerToken,
        },
      ]),
      // The example extension (POST /ext/example-ext), on the same handler port. It shares the
      // route's secret: one secret for the example to keep in .data; real ones have their own.
      LC_GATEWAY_EXTENSIONS: JSON.stringify([
        {
          name: 'example-ext',
          secret: ctx.lcSecret,
          handler: ctx.addresses.get('lc-example'),
          token: ctx.lcHandlerToken,
        },
      ]),
      JOBS_ADDRESS: ctx.addresses.get('jobs')!,
      SCHEDULER_ADDRESS: ctx.addresses.get('scheduler')!,
      CHECKWIRE_TOKEN: ctx.tokens.get('lc-gateway')!,
    }),
  },
  {
    spec: {
      name: 'runner',
      entry: 'apps/runner/src/main.ts',
      ready: /taking checks from ([^\s"]+)/,
    },
    needs: ['scoring', 'scheduler'],
    after: ['scheduler'],
    env: (ctx) => ({
      SCORING_ADDRESS: ctx.addresses.get('scoring')!,
      SCHEDULER_ADDRESS: ctx.addresses.get('scheduler')!,
      CHECKWIRE_TOKEN: ctx.tokens.get('runner')!,
    }),
  },
];
