import { createServer, type AddressInfo } from 'node:net';
import { LcCloudStandin, newOid } from '@checkwire/lc-cloud-standin';
import { LcApiClient, type LcApiClientOptions } from '../src/index.js';

/** Every permission the stand-in checks, for a JWT that may do everything. */
export const ALL_PERMS = [
  'sensor.task',
  'dr.set',
  'dr.del',
  'dr.set.managed',
  'dr.del.managed',
  'dr.set.replicant',
  'dr.del.replicant',
];

export interface Harness {
  cloud: LcCloudStandin;
  oid: string;
  sid: string;
  jwt: string;
  /** Delays the clients asked to wait, in ms (the clients' sleep records them and returns). */
  sleeps: number[];
  client(options?: LcApiClientOptions): LcApiClient;
}

/** The stand-in of LimaCharlie's cloud with one org, one sensor and a JWT for it. */
export async function startHarness(): Promise<Harness> {
  const cloud = await LcCloudStandin.start();
  const oid = newOid();
  const sleeps: number[] = [];
  return {
    cloud,
    oid,
    sid: cloud.addSensor(oid),
    jwt: cloud.issueJwt({ oid, perms: ALL_PERMS }),
    sleeps,
    client: (options = {}) =>
      new LcApiClient({
        baseUrl: cloud.url,
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
        ...options,
      }),
  };
}

/** Clears what a test left behind: records, faults, recorded sleeps. */
export function reset(h: Harness): void {
  h.cloud.requests.length = 0;
  h.cloud.clearFaults();
  h.sleeps.length = 0;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`);
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** A port nothing listens on (bound, then closed). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
