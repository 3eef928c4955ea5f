import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { LimitExceededError, MAX_CONVERSATION_BYTES } from './limits.js';

/**
 * A loopback relay that meters a server for a client program (smbclient), as metered-socket does
 * for a client library: the check connects to the server itself (so a refused or silent server is
 * the check's own network error), then lets one connection from 127.0.0.1 through. All the server
 * sends counts toward `maxBytes`; past it both sides are cut at once and `failure` says why.
 */
export class MeteredRelay {
  failure: Error | undefined;
  private client: Socket | undefined;

  private constructor(
    private readonly upstream: Socket,
    private readonly server: Server,
  ) {
    upstream.on('error', (err) => (this.failure ??= err));
  }

  /**
   * Connects to the server; the relay then listens on a free loopback port (`port`). `signal`
   * (the check's time limit) ends a connection still under way.
   */
  static async open(
    host: string,
    port: number,
    signal: AbortSignal,
    maxBytes: number = MAX_CONVERSATION_BYTES,
  ): Promise<MeteredRelay> {
    const upstream = connect({ host, port, signal });
    await new Promise<void>((resolve, reject) => {
      upstream.once('connect', resolve);
      upstream.once('error', reject);
    }).catch((err: unknown) => {
      upstream.destroy();
      throw err;
    });
    if (signal.aborted) {
      upstream.destroy();
      throw signal.reason;
    }
    upstream.setNoDelay(true).pause();
    const server = createServer();
    const relay = new MeteredRelay(upstream, server);
    server.on('connection', (client) => relay.accept(client, maxBytes));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): void {
    this.server.close();
    this.upstream.destroy();
    this.client?.destroy();
  }

  private accept(client: Socket, maxBytes: number): void {
    client.on('error', () => undefined);
    // One connection: the one the server was connected for.
    if (this.client !== undefined) {
      client.destroy();
      return;
    }
    this.client = client;
    let received = 0;
    this.upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        this.failure ??= new LimitExceededError(`more than ${maxBytes} bytes in one conversation`);
        this.close();
      } else if (!client.write(chunk)) {
        this.upstream.pause();
        client.once('drain', () => this.upstream.resume());
      }
    });
    this.upstream.on('close', () => client.end());
    client.pipe(this.upstream);
    this.upstream.resume();
  }
}
