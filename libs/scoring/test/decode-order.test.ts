import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDescriptorSet, Role } from '@checkwire/proto';
import { ProtoArbitraries, RawGrpcCaller } from '@checkwire/testing';
import { startHarness, type Harness } from './harness.js';

// The caller is established before the request is decoded: a request that cannot be decoded is
// INVALID_ARGUMENT only for a caller allowed to make the call; anyone else is refused as they
// would be for a well-formed request.

let h: Harness;
let raw: RawGrpcCaller;
let redToken: string;
const arbitraries = new ProtoArbitraries(loadDescriptorSet());

beforeAll(async () => {
  h = await startHarness();
  raw = new RawGrpcCaller(h.app.address);
  redToken = (
    await h.tokens.createToken({ name: 'red', role: Role.ROLE_RED, subtypes: [], serviceIds: [] })
  ).secret;
});
afterAll(async () => {
  raw.close();
  await h.stop();
});

/** A request whose int64 lies beyond ±2^53, which the generated decoder refuses. */
function undecodable(service: string, method: string, field: string): Uint8Array {
  const type = arbitraries.service(`checkwire.scoring.v1.${service}`).methods[method]!
    .resolvedRequestType!;
  return type.encode(type.fromObject({ [field]: '1152921504606846976' })).finish();
}

const UNDECODABLE = {
  code: status.INVALID_ARGUMENT,
  details:
    'request: cannot be decoded (Value is larger than Number.MAX_SAFE_INTEGER); int64 fields must lie within ±9007199254740991',
};

describe('an undecodable request', () => {
  const path = '/checkwire.scoring.v1.AdminService/GetCredentialPool';
  const body = () => undecodable('AdminService', 'GetCredentialPool', 'id');

  it('is UNAUTHENTICATED without a token, for an RPC that needs one', async () => {
    expect(await raw.call(path, false, body())).toEqual({
      code: status.UNAUTHENTICATED,
      details:
        "call AdminService.GetCredentialPool needs admin or check_runner: send metadata 'authorization: Bearer <token>'",
    });
    expect(await raw.call(path, false, body(), 'cw_not-a-real-token')).toEqual({
      code: status.UNAUTHENTICATED,
      details: 'the bearer token is not a Checkwire token (cw_…)',
    });
  });

  it('is PERMISSION_DENIED for a role that may not make the call', async () => {
    expect(await raw.call(path, false, body(), redToken)).toEqual({
      code: status.PERMISSION_DENIED,
      details:
        'a red token may not call AdminService.GetCredentialPool; it needs admin or check_runner',
    });
  });

  it('is INVALID_ARGUMENT for a caller that may make the call, unary and streaming', async () => {
    expect(await raw.call(path, false, body(), h.adminToken)).toEqual(UNDECODABLE);
    // Reads anyone may make: the public learns it sent garbage.
    expect(
      await raw.call(
        '/checkwire.scoring.v1.AdminService/GetService',
        false,
        undecodable('AdminService', 'GetService', 'id'),
      ),
    ).toEqual(UNDECODABLE);
    expect(
      await raw.call(
        '/checkwire.scoring.v1.StatusService/WatchServiceStatus',
        true,
        undecodable('StatusService', 'WatchServiceStatus', 'team_id'),
      ),
    ).toEqual(UNDECODABLE);
  });
});
