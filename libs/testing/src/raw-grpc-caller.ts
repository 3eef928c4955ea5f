import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';

/** A call's final status: code 0 is OK. */
export interface RawAnswer {
  code: number;
  details: string;
}

/** A one-method definition that sends and receives bytes as they are. */
function rawDefinition(path: string, responseStream: boolean) {
  return {
    call: {
      path,
      requestStream: false as const,
      responseStream,
      originalName: 'call',
      requestSerialize: (b: Uint8Array) => Buffer.from(b),
      requestDeserialize: (b: Buffer): Uint8Array => b,
      responseSerialize: (b: Uint8Array) => Buffer.from(b),
      responseDeserialize: (b: Buffer): Uint8Array => b,
    },
  };
}

type RawClient = PromiseClient<ReturnType<typeof rawDefinition>>;

function answerOf(err: unknown): RawAnswer {
  const e = err as { code?: unknown; details?: unknown };
  if (typeof e.code !== 'number') throw err;
  return { code: e.code, details: typeof e.details === 'string' ? e.details : '' };
}

/**
 * Sends raw protobuf bytes to any method of a real server (what a client in another language, or
 * an attacker, could send), optionally with a bearer token, and reports the final status. A
 * stream counts as OK at its first message (the call is then cancelled).
 */
export class RawGrpcCaller {
  private readonly clients = new Map<string, RawClient>();

  constructor(private readonly address: string) {}

  async call(
    path: string,
    responseStream: boolean,
    body: Uint8Array,
    token?: string,
    deadlineMs = 10_000,
  ): Promise<RawAnswer> {
    const client = this.client(path, responseStream, token);
    try {
      if (!responseStream) {
        await (client.call as unknown as (r: Uint8Array, o: object) => Promise<Uint8Array>)(body, {
          deadlineMs,
        });
        return { code: 0, details: '' };
      }
      const controller = new AbortController();
      const messages = (
        client.call as unknown as (r: Uint8Array, o: object) => AsyncIterable<Uint8Array>
      )(body, { deadlineMs, signal: controller.signal });
      for await (const _ of messages) break;
      controller.abort();
      return { code: 0, details: '' };
    } catch (err) {
      return answerOf(err);
    }
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(path: string, responseStream: boolean, token: string | undefined): RawClient {
    const key = `${path} ${String(responseStream)} ${token ?? ''}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      const options = token === undefined ? {} : { token };
      client = createPromiseClient(rawDefinition(path, responseStream), this.address, options);
      this.clients.set(key, client);
    }
    return client;
  }
}
