import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenFailure, type MetricsListen } from '@checkwire/config';
import { createLogger } from '@checkwire/log';
import { bufferMeasurements, unbindInstruments } from './instruments.js';
import type { LoadedSdk } from './sdk.js';

export interface MetricsOptions {
  /** Which app this process is: the `checkwire_app` label of every series. */
  app: string;
  /** Where to serve `/metrics` (config's `envMetricsListen`); undefined: off, nothing is kept. */
  listen: MetricsListen | undefined;
  /** OTEL_SERVICE_NAME names the service in `target_info`. @default process.env */
  env?: Record<string, string | undefined>;
}

export interface MetricsEndpoint {
  /** `http://host:port/metrics`, or undefined when metrics are off. */
  readonly url: string | undefined;
  /**
   * Loads the OpenTelemetry SDK in the background: call it once the app is ready, so its start
   * does not wait for it. What is measured until then is kept and counted once it has loaded;
   * a scrape before then waits for it (and loads it, if this was never called).
   */
  load(): void;
  /** Stops serving and measuring (instruments become no-ops again). */
  shutdown(): Promise<void>;
}

const OFF: MetricsEndpoint = {
  url: undefined,
  load: () => undefined,
  shutdown: () => Promise.resolve(),
};

let serving = false;

/**
 * Serves Prometheus' text format at `http://<host>:<port>/metrics` (anything else is 404). The
 * port is bound before it returns, so a port in use fails the app's start like its own port
 * does (a ConfigError naming `<APP>_METRICS_PORT`); the SDK itself (about 0.1 s to load) waits
 * for `load()`. One endpoint per process.
 */
export async function startMetrics(options: MetricsOptions): Promise<MetricsEndpoint> {
  const { listen, app } = options;
  if (listen === undefined) return OFF;
  if (serving) throw new Error('metrics are served already in this process');
  const env = options.env ?? process.env;
  const log = createLogger(app);
  let loading: Promise<LoadedSdk> | undefined;
  const sdk = () =>
    (loading ??= import('./sdk.js').then(({ loadSdk }) => {
      const loaded = loadSdk(app, env);
      if (loaded.droppedWhileLoading > 0) {
        log.warn(`metrics: ${loaded.droppedWhileLoading} measurements dropped while loading`);
      }
      return loaded;
    }));
  const { createServer } = await import('node:http');
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are at /metrics\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
    } else {
      sdk().then(
        (loaded) => loaded.serve(req, res),
        (err: unknown) => {
          const id = log.failure('metrics: loading the OpenTelemetry SDK', err);
          res.writeHead(503, { 'content-type': 'text/plain' }).end(`error id ${id}\n`);
        },
      );
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    throw listenFailure(err, [listen.hostVar, listen.host], [listen.portVar, listen.port]) ?? err;
  }
  // Never what keeps the process alive: the app's own server or loop does that.
  server.unref();
  serving = true;
  bufferMeasurements();
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/metrics`,
    load: () =>
      void sdk().catch((err: unknown) =>
        log.failure('metrics: loading the OpenTelemetry SDK', err),
      ),
    shutdown: () =>
      (stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        const loaded = await loading?.catch(() => undefined);
        if (loaded === undefined) unbindInstruments();
        else await loaded.shutdown();
        serving = false;
      })()),
  };
}
