import type { ChannelOptions } from '@grpc/grpc-js';

/**
 * Spreading calls over replicas, the one place both sides read it from. gRPC keeps one HTTP/2
 * connection per address and sends every call down it, so a connection-level balancer (a
 * Kubernetes ClusterIP Service, an L4 load balancer) hands each client one replica for good: two
 * scoring pods serve as one. Instead each client resolves the name to every replica (a headless
 * Service: one A record per ready pod), connects to all of them and takes turns (`round_robin`);
 * and each server ends its connections after `SERVER_MAX_CONNECTION_AGE_MS`, which makes the
 * client resolve the name again, so a pod started later (scaled up, or rescheduled to a new
 * address) gets calls too.
 */

/**
 * Calls take turns over every address the target resolves to (`dns:///checkwire-scoring:50051`
 * → one connection per pod), skipping those not connected; grpc-js's default, `pick_first`, would
 * send everything to the first address that answers.
 */
export const LOAD_BALANCING_POLICY = 'round_robin';

/**
 * Channel options every `createPromiseClient` channel starts from (`channelOptions` override
 * them). The policy is set as the channel's default service config; a service config published
 * in DNS (a TXT record) is not looked up (`grpc.service_config_disable_resolution`): our names
 * publish none, it would cost a TXT query per resolution, and whoever can write a zone could
 * otherwise change our clients' policy.
 */
export const CLIENT_LOAD_BALANCING_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.service_config': JSON.stringify({
    loadBalancingConfig: [{ [LOAD_BALANCING_POLICY]: {} }],
  }),
  'grpc.service_config_disable_resolution': 1,
});

/**
 * How long a server keeps a client's connection before it sends GOAWAY (grpc-js adds ±10 %
 * jitter so clients do not reconnect together). The client connects again at once, and the
 * connection going away makes it resolve the name again (grpc-js waits at least 30 s between two
 * resolutions, `grpc.dns_min_time_between_resolutions_ms`), so a new replica gets calls within
 * about a minute and a half. Calls the server had read finish on the old connection, those it had
 * not are refused unprocessed and sent again (refused-stream.ts), and new ones go to the other
 * replicas meanwhile: nothing fails. The cost is one TCP (and TLS) handshake per client and
 * replica a minute.
 */
export const SERVER_MAX_CONNECTION_AGE_MS = 60_000;

/**
 * How long calls still open on a connection past its age may go on before the connection is
 * closed under them: unlimited. What outlives the age is a watch (`WatchServiceStatus`, a console
 * page open all day): every replica feeds every watch, so there is nothing to gain by moving it,
 * and cutting it would end the watch with UNAVAILABLE ("Connection dropped"), which the console
 * shows on its live pages as a failure until the browser reconnects. A draining connection closes
 * when its last call ends, or when its server stops (`shutdown`).
 */
export const SERVER_MAX_CONNECTION_AGE_GRACE_MS = Infinity;
