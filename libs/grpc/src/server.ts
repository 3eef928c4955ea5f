import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { SERVER_KEEPALIVE_OPTIONS } from './keepalive.js';
import { addLazyReflection } from './lazy-reflection.js';
import {
  SERVER_MAX_CONNECTION_AGE_GRACE_MS,
  SERVER_MAX_CONNECTION_AGE_MS,
} from './load-balancing.js';
import { tolerantDefinition } from './undecodable-request.js';

export interface ServiceBinding {
  /** Fully-qualified name, e.g. checkwire.scoring.v1.ScoringService (reported by health). */
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  services: ServiceBinding[];
  /** FileDescriptorSet served by gRPC reflection (none: no reflection service). */
  descriptorSet?: Buffer;
  /** Largest request accepted; larger ones fail with RESOURCE_EXHAUSTED. @default 4 MiB */
  maxReceiveMessageBytes?: number;
  /** Serve TLS instead of plaintext. */
  tls?: ServerTls;
  /**
   * GOAWAY to a client's connection this long after it opened, so the client resolves the
   * server's name again and new replicas get calls (load-balancing.ts); `Infinity`: never.
   * @default SERVER_MAX_CONNECTION_AGE_MS (60 s)
   */
  maxConnectionAgeMs?: number;
  /**
   * How long calls still open on a connection past its age may go on before it is closed under
   * them (they fail with UNAVAILABLE). @default SERVER_MAX_CONNECTION_AGE_GRACE_MS (unlimited)
   */
  maxConnectionAgeGraceMs?: number;
}

export interface ServerTls {
  /** PEM certificate chain and private key of the server. */
  cert: Buffer;
  key: Buffer;
  /** PEM CA bundle: when set, clients must present a certificate it signed (mutual TLS). */
  clientCa?: Buffer;
}

function serverCredentials(tls: ServerTls | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(
    tls.clientCa ?? null,
    [{ cert_chain: tls.cert, private_key: tls.key }],
    tls.clientCa !== undefined,
  );
}

export interface RunningGrpcServer {
  /** host:port the server listens on. */
  address: string;
  port: number;
  /**
   * Graceful stop: health turns NOT_SERVING, new calls are refused, running calls get `graceMs`
   * to finish, then the rest are cancelled.
   */
  shutdown(graceMs?: number): Promise<void>;
  /** Sets what grpc.health.v1 reports for the server and its services (a dependency is down). */
  setServing(serving: boolean): void;
}

/** Calls one client connection may have in flight at once; more wait for a free stream. */
export const MAX_CONCURRENT_STREAMS_PER_CONNECTION = 1000;

/** The longest timer Node keeps (2^31 − 1 ms, about 24.8 days); grpc-js's "unlimited". */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Option `option`'s `ms` as grpc-js's `grpcOption`: none for `Infinity` (grpc-js's default is
 * unlimited), else a whole number of milliseconds a timer can hold.
 */
function durationOption(option: string, grpcOption: string, ms: number): Record<string, number> {
  if (ms === Infinity) return {};
  if (!Number.isInteger(ms) || ms < 1 || ms > LONGEST_TIMER_MS) {
    const range = `a whole number of ms from 1 to ${LONGEST_TIMER_MS}, or Infinity`;
    throw new RangeError(`${option} must be ${range}; got ${ms}`);
  }
  return { [grpcOption]: ms };
}

/** Starts a grpc-js server with the given services plus grpc.health.v1 and server reflection. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({
    // Accepts the clients' keepalive pings and pings them itself (keepalive.ts).
    ...SERVER_KEEPALIVE_OPTIONS,
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 4 * 1024 * 1024,
    // Calls one connection may have open at once (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS).
    'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS_PER_CONNECTION,
    // Connections end after an age, so clients find new replicas (load-balancing.ts).
    ...durationOption(
      'maxConnectionAgeMs',
      'grpc.max_connection_age_ms',
      options.maxConnectionAgeMs ?? SERVER_MAX_CONNECTION_AGE_MS,
    ),
    ...durationOption(
      'maxConnectionAgeGraceMs',
      'grpc.max_connection_age_grace_ms',
      options.maxConnectionAgeGraceMs ?? SERVER_MAX_CONNECTION_AGE_GRACE_MS,
    ),
  });
  const health = new HealthImplementation({ '': 'SERVING' });
  for (const s of options.services) {
    server.addService(tolerantDefinition(s.definition), s.implementation);
    health.setStatus(s.name, 'SERVING');
  }
  health.addToServer(server);
  if (options.descriptorSet !== undefined) addLazyReflection(server, options.descriptorSet);

  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 0}`,
      serverCredentials(options.tls),
      (err, bound) => (err ? reject(err) : resolve(bound)),
    );
  });

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs = 5000): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      health.setStatus('', 'NOT_SERVING');
      for (const s of options.services) health.setStatus(s.name, 'NOT_SERVING');
      const force = setTimeout(() => server.forceShutdown(), graceMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return stopping;
  };
  const setServing = (serving: boolean) => {
    if (stopping !== undefined) return;
    const state = serving ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', state);
    for (const s of options.services) health.setStatus(s.name, state);
  };
  return { address: `${host}:${port}`, port, shutdown, setServing };
}
