import { constants, createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createPromiseClient, REFUSED_STREAM_ATTEMPTS } from '../src/index.js';
import { bytesMethod } from './bytes-method.js';

// A call whose HTTP/2 stream the server refuses (RST_STREAM REFUSED_STREAM: nothing processed) is
// sent again; any other failure is not. The server is node:http2 speaking just enough gRPC, so it
// can refuse streams as grpc-js's server does to the calls it had not read at a connection's age.

const method = (responseStream: boolean) => bytesMethod('Refusing', 'Call', responseStream);
const definition = {
  call: method(false),
  watch: { ...method(true), responseStream: true as const },
};

/** A gRPC message on the wire: not compressed, its length, its bytes. */
const grpcMessage = (text: string) => {
  const body = Buffer.from(text);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(body.length, 1);
  return Buffer.concat([prefix, body]);
};

let server: Http2Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/**
 * Refuses the first `refusals` streams, then answers each with `answer`. Returns its address and
 * how many streams it saw.
 */
async function refusing(
  refusals: number,
  answer: (stream: ServerHttp2Stream) => void,
): Promise<{ address: string; streams: () => number }> {
  let streams = 0;
  server = createServer();
  server.on('stream', (stream) => {
    streams += 1;
    stream.resume();
    if (streams > refusals) return answer(stream);
    // Node reports a stream it closes with an error code as an 'error' of the stream: ours.
    stream.on('error', () => undefined);
    stream.close(constants.NGHTTP2_REFUSED_STREAM);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { address: `127.0.0.1:${port}`, streams: () => streams };
}

/** Answers `messages`, then OK. */
const ok =
  (...messages: string[]) =>
  (stream: ServerHttp2Stream) => {
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc' },
      { waitForTrailers: true },
    );
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(Buffer.concat(messages.map(grpcMessage)));
  };

describe('a call the server refuses unprocessed', () => {
  // grpc-js sends a refused call again once by itself: each attempt of ours is two streams.
  const streamsPerAttempt = 2;

  it('is sent again until a server takes it', async () => {
    const refused = 3 * streamsPerAttempt - 1;
    const s = await refusing(refused, ok('answer'));
    const client = createPromiseClient(definition, s.address);
    try {
      expect((await client.call(Buffer.from('question'))).toString()).toBe('answer');
      expect(s.streams()).toBe(refused + 1);
    } finally {
      client.close();
    }
  });

  it(`fails with grpc-js's UNAVAILABLE after ${REFUSED_STREAM_ATTEMPTS} attempts`, async () => {
    const s = await refusing(Infinity, ok('never'));
    const client = createPromiseClient(definition, s.address);
    try {
      await expect(client.call(Buffer.from('question'))).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: 'Stream refused by server',
      });
      expect(s.streams()).toBe(REFUSED_STREAM_ATTEMPTS * streamsPerAttempt);
    } finally {
      client.close();
    }
  });

  it('is a stream opened again until a server takes it', async () => {
    const refused = 2 * streamsPerAttempt;
    const s = await refusing(refused, ok('first', 'second'));
    const client = createPromiseClient(definition, s.address);
    try {
      const messages: string[] = [];
      for await (const m of client.watch(Buffer.from(''))) messages.push(m.toString());
      expect(messages).toEqual(['first', 'second']);
      expect(s.streams()).toBe(refused + 1);
    } finally {
      client.close();
    }
  });
});

describe('a call the server answered UNAVAILABLE', () => {
  it('is not sent again (only the caller knows whether it may be)', async () => {
    const s = await refusing(0, (stream) =>
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(status.UNAVAILABLE),
          'grpc-message': 'try later',
        },
        { endStream: true },
      ),
    );
    const client = createPromiseClient(definition, s.address);
    try {
      await expect(client.call(Buffer.from('question'))).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: 'try later',
      });
      expect(s.streams()).toBe(1);
    } finally {
      client.close();
    }
  });
});
