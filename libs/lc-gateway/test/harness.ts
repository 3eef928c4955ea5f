import { join } from 'node:path';
import { TokenAdministration, Authenticator } from '@checkwire/auth';
import { connectDatabase } from '@checkwire/db';
import { createPromiseClient, type PromiseClient, type RunningGrpcServer } from '@checkwire/grpc';
import type { LcApiClientOptions } from '@checkwire/lc-api';
import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { serveLcService, type LcService, type ServeOptions } from '@checkwire/lc-sdk';
import { startApp, stopApp, type RunningApp } from '@checkwire/proc';
import { JobsServiceService } from '@checkwire/proto';
import { FREE_METRICS_PORTS, createTestDatabase, type TestDatabase } from '@checkwire/testing';
import { LcGatewayApp, type RouteConfig } from '../src/index.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** An lc_gateway token minted straight in the database (as npm start does for the gateway). */
export async function mintGatewayToken(databaseUrl: string): Promise<string> {
  const handle = connectDatabase({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const tokens = new TokenAdministration(handle.db, new Authenticator(handle.db));
    return (await tokens.create({ name: 'lc gateway (test)', role: 'lc_gateway' })).secret;
  } finally {
    await handle.close();
  }
}

/** The real Jobs server (apps/jobs) as its own process, as the gateway reaches it in production. */
export async function startJobs(databaseUrl: string): Promise<RunningApp> {
  return startApp(
    {
      name: 'jobs',
      entry: 'apps/jobs/src/main.ts',
      ready: /listening on ([^\s"]+)/,
      echo: false,
      cwd: root,
    },
    {
      ...process.env,
      ...FREE_METRICS_PORTS,
      DATABASE_URL: databaseUrl,
      JOBS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
  );
}

export interface GatewayHarness {
  gateway: LcGatewayApp;
  jobs: PromiseClient<typeof JobsServiceService>;
  /** host:port of the Jobs server (for more gateways in front of the same handlers). */
  jobsAddress: string;
  handlers: RunningGrpcServer[];
  schedulerAddress: string | undefined;
  token: string;
  databaseUrl: string;
  /** POSTs a signed callback (canonical body, as LimaCharlie sends it) to `path`. */
  post(path: string, body: unknown, options?: PostOptions): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export interface PostOptions {
  secret?: string;
  /** The exact bytes to send (default: the canonical rendering of `body`). */
  raw?: string | Buffer;
  /** Signature to send (default: HMAC of the bytes sent); null sends none. */
  signature?: string | null;
  /** Content-Type to send (default application/json); null sends none. */
  contentType?: string | null;
  method?: string;
}

/**
 * A database, the Jobs server, handlers served by the SDK on 127.0.0.1:0, and the gateway in front
 * of them, routed by `routes(handlerAddresses)`.
 */
export async function startGateway(
  services: LcService[],
  routes: (addresses: string[]) => RouteConfig[],
  options: {
    maxBodyBytes?: number;
    deadlineMarginMs?: number;
    withScheduler?: boolean;
    describeTtlMs?: number;
    jobLeaseSeconds?: number;
    /** serveLcService's options, by service index (e.g. a handler token). */
    serve?: ServeOptions[];
    /** LimaCharlie's REST API (the stand-in's URL as `baseUrl`). */
    lcApi?: LcApiClientOptions;
  } = {},
): Promise<GatewayHarness> {
  const database: TestDatabase = await createTestDatabase();
  const token = await mintGatewayToken(database.url);
  const jobsApp = await startJobs(database.url);
  const handlers = await Promise.all(
    services.map((s, i) => serveLcService(s, options.serve?.[i] ?? {})),
  );
  const scheduler = options.withScheduler
    ? await startApp(
        {
          name: 'scheduler',
          entry: 'apps/scheduler/src/main.ts',
          ready: /gRPC listening on ([^\s"]+)/,
          echo: false,
          cwd: root,
        },
        {
          ...process.env,
          ...FREE_METRICS_PORTS,
          DATABASE_URL: database.url,
          SCHEDULER_PORT: '0',
          SCHEDULER_ROUND_INTERVAL_MS: '0',
          OTEL_EXPORTER_OTLP_ENDPOINT: '',
        },
      )
    : undefined;
  const gateway = await LcGatewayApp.start({
    routes: routes(handlers.map((h) => h.address)),
    jobsAddress: jobsApp.address,
    schedulerAddress: scheduler?.address,
    token,
    maxBodyBytes: options.maxBodyBytes,
    deadlineMarginMs: options.deadlineMarginMs,
    describeTtlMs: options.describeTtlMs,
    jobLeaseSeconds: options.jobLeaseSeconds,
    lcApi: options.lcApi,
  });
  const jobs = createPromiseClient(JobsServiceService, jobsApp.address, { token });
  const defaultSecret = routes(handlers.map((h) => h.address))[0]!.secret;
  return {
    gateway,
    jobs,
    jobsAddress: jobsApp.address,
    handlers,
    schedulerAddress: scheduler?.address,
    token,
    databaseUrl: database.url,
    async post(path, body, o = {}) {
      const bytes = o.raw ?? canonicalBody(body);
      const signature =
        o.signature === undefined ? sign(o.secret ?? defaultSecret, bytes) : o.signature;
      const headers: Record<string, string> = { 'user-agent': 'lc-services' };
      const contentType = o.contentType === undefined ? 'application/json' : o.contentType;
      if (contentType !== null) headers['content-type'] = contentType;
      if (signature !== null) headers[SIGNATURE_HEADER] = signature;
      const res = await fetch(gateway.url + path, {
        method: o.method ?? 'POST',
        headers,
        // Bytes, not a string: fetch adds `text/plain;charset=UTF-8` to a string body that has no
        // Content-Type, and a body without one must go without one.
        body: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
      });
      const text = await res.text();
      return { status: res.status, json: JSON.parse(text) };
    },
    async stop() {
      jobs.close();
      await gateway.stop();
      await Promise.all(handlers.map((h) => h.shutdown(100)));
      await stopApp(jobsApp);
      if (scheduler !== undefined) await stopApp(scheduler);
      await database.drop();
    },
  };
}

/** A LimaCharlie request body with sensible defaults. */
export function lcBody(
  etype: string,
  data: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    version: 1,
    etype,
    oid: 'org-1',
    jwt: 'jwt-of-org-1',
    mid: '9a1b9f5e-4c1e-4a57-8f2b-000000000001',
    deadline: Date.now() / 1000 + 30,
    data,
    ...extra,
  };
}

/**
 * Polls `probe` until it holds (for what happens off an answer's path), failing with `what` after
 * `ms`: a readiness wait with a bound, never a sleep.
 */
export async function eventually(
  probe: () => Promise<boolean> | boolean,
  what: string,
  ms = 20_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`${what} (waited ${ms} ms)`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
