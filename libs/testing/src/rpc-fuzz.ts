import fc from 'fast-check';
import type protobuf from 'protobufjs';
import type { ProtoArbitraries } from './proto-arbitrary.js';
import type { RawAnswer, RawGrpcCaller } from './raw-grpc-caller.js';

/** One RPC to fuzz, found in the served descriptors. */
export interface FuzzTarget {
  /** `Service/Method`, for test names. */
  rpc: string;
  /** `/package.Service/Method`, as sent on the wire. */
  path: string;
  method: protobuf.Method;
}

/** Every method of the named services (fully qualified), from the descriptor set. */
export function fuzzTargets(
  arbitraries: ProtoArbitraries,
  services: readonly string[],
): FuzzTarget[] {
  return services.flatMap((name) =>
    arbitraries.service(name).methodsArray.map((method) => ({
      rpc: `${name.split('.').pop()}/${method.name}`,
      path: `/${name}/${method.name}`,
      method,
    })),
  );
}

// gRPC status codes, spelled out (libs/testing does not depend on grpc-js outside *.grpc.ts).
const OK = 0;
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;
const OUT_OF_RANGE = 11;

/** What a well-behaved server may answer to garbage from a caller allowed to make the call. */
export const FUZZ_ACCEPTABLE: ReadonlySet<number> = new Set([
  OK,
  INVALID_ARGUMENT,
  NOT_FOUND,
  ALREADY_EXISTS,
  FAILED_PRECONDITION,
  OUT_OF_RANGE,
]);

/** Runs per RPC: FUZZ_RUNS=1000 for a longer hunt; CI uses the default. */
export function fuzzRuns(fallback = 60): number {
  const runs = Number(process.env.FUZZ_RUNS ?? fallback);
  return Number.isInteger(runs) && runs > 0 ? runs : fallback;
}

export interface FuzzOptions {
  caller: RawGrpcCaller;
  /** Bearer token sent with every call (none: the public). */
  token?: string;
  /** The codes allowed as answers. @default FUZZ_ACCEPTABLE */
  acceptable?: ReadonlySet<number>;
  /** Everything a call could write (see tableFingerprint); must not change on a refused call. */
  fingerprint: () => Promise<Record<string, string>>;
  /** Runs after each call (e.g. to undo what an accepted call changed that later runs need). */
  afterEach?: () => Promise<void>;
  /** @default fuzzRuns() */
  numRuns?: number;
}

function failure(target: FuzzTarget, answer: RawAnswer, why: string): Error {
  return new Error(`${target.path} answered ${answer.code} '${answer.details}': ${why}`);
}

/**
 * Sends fuzzed requests (fast-check, every field of the request type) to one RPC of a real server.
 * Each answer must be one of `acceptable`, carry a message unless it is OK, and a call that was
 * not OK must leave the fingerprint as it was (no partial write). fast-check shrinks a failure
 * to a small request.
 */
export async function fuzzRpc(
  arbitraries: ProtoArbitraries,
  target: FuzzTarget,
  options: FuzzOptions,
): Promise<void> {
  const acceptable = options.acceptable ?? FUZZ_ACCEPTABLE;
  const stream = target.method.responseStream === true;
  await fc.assert(
    fc.asyncProperty(arbitraries.requests(target.method), async (body) => {
      const before = await options.fingerprint();
      const answer = await options.caller.call(target.path, stream, body, options.token);
      try {
        if (!acceptable.has(answer.code)) throw failure(target, answer, 'not an acceptable code');
        if (answer.code !== OK) {
          if (!/\S/.test(answer.details)) throw failure(target, answer, 'no message');
          const after = await options.fingerprint();
          const changed = Object.keys({ ...before, ...after }).filter(
            (k) => before[k] !== after[k],
          );
          if (changed.length > 0) {
            throw failure(target, answer, `refused, yet wrote to ${changed.join(', ')}`);
          }
        }
      } finally {
        await options.afterEach?.();
      }
    }),
    { numRuns: options.numRuns ?? fuzzRuns() },
  );
}
