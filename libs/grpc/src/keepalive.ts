import type { ChannelOptions } from '@grpc/grpc-js';

/**
 * HTTP/2 keepalive, the one place both sides read it from: a stream has no deadline (see
 * `CallOptions.deadlineMs`), so pings are what notice a peer that vanished without closing its
 * connection (a crashed host, a dropped NAT entry) and what keep idle connections alive through
 * NATs and load balancers.
 */

/**
 * How often a client pings its connection. Below every common idle timeout of NATs, firewalls
 * and cloud load balancers (a minute and more), and cheap: one 8-byte PING frame and its ACK.
 */
export const CLIENT_KEEPALIVE_TIME_MS = 30_000;

/**
 * How long a client waits for a ping's ACK before it drops the connection (its calls fail with
 * UNAVAILABLE). The ACK comes from the server's HTTP/2 layer, not a handler, so only a dead peer
 * (or an event loop stalled this long) misses it.
 */
export const CLIENT_KEEPALIVE_TIMEOUT_MS = 10_000;

/**
 * Channel options every `createPromiseClient` channel starts from (`channelOptions` override
 * them). Pings go on without calls too (`keepalive_permit_without_calls`): a client that calls in
 * bursts (a runner between rounds) then finds a dead connection while idle, instead of sending
 * its next unary call into it and waiting out the deadline. A gRPC C-core server (Python, Go is
 * similar) must allow this: `grpc.keepalive_permit_without_calls=1` and
 * `grpc.http2.min_ping_interval_without_data_ms` ≤ 30 s; otherwise it answers GOAWAY
 * `too_many_pings` and grpc-js doubles its interval until the server is satisfied.
 */
export const CLIENT_KEEPALIVE_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.keepalive_time_ms': CLIENT_KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': CLIENT_KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 1,
});

/**
 * Server options of `startGrpcServer`. The server accepts the clients' pings with or without calls
 * at up to one per 10 s (a third of the clients' interval), and pings each connection itself
 * every minute, dropping it after 20 s without an ACK: a client that died without closing (a
 * watcher whose host crashed, a client that does not ping) then frees its streams, and its slots
 * in the per-caller stream limit, within 80 s instead of the hours TCP would take.
 * grpc-js 1.14 servers enforce no ping policy (they ignore the two `permit`/`min_ping` options),
 * so those are the contract written down for when they do, as gRPC C-core servers already do.
 */
export const SERVER_KEEPALIVE_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': CLIENT_KEEPALIVE_TIME_MS / 3,
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
});

/**
 * For channels to servers we do not run (LC handlers, written in any language): a gRPC C-core
 * server with default settings (Python's) tolerates a ping every 5 minutes, and none between
 * calls; more and it answers GOAWAY `too_many_pings`. So these clients ping that rarely, and only
 * during calls.
 */
export const FOREIGN_SERVER_KEEPALIVE_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.keepalive_time_ms': 300_000,
  'grpc.keepalive_timeout_ms': CLIENT_KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 0,
});
