import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPromiseClient } from '@checkwire/grpc';
import { Role, TokenServiceService } from '@checkwire/proto';
import { makeTlsFixtures, type TlsFixtures } from '@checkwire/testing';
import { grpcError, startHarness, type Harness } from './harness.js';

let tls: TlsFixtures;
beforeAll(() => {
  tls = makeTlsFixtures();
});
afterAll(() => tls.remove());

const whoAmI = (address: string, options: Parameters<typeof createPromiseClient>[2]) => {
  const client = createPromiseClient(TokenServiceService, address, options);
  return client.whoAmI({}, { deadlineMs: 3000 }).finally(() => client.close());
};

describe('gRPC over TLS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tls: { cert: tls.serverCert, key: tls.serverKey } });
  });
  afterAll(() => h.stop());

  it('serves a client that trusts its CA, with the token inside the encrypted channel', async () => {
    const me = await whoAmI(h.app.address, { tls: { ca: tls.ca }, token: h.adminToken });
    expect(me.role).toBe(Role.ROLE_ADMIN);
  });

  it('is unreachable in plaintext and for a client trusting another CA', async () => {
    expect((await grpcError(whoAmI(h.app.address, {}))).code).toBe(status.UNAVAILABLE);
    expect((await grpcError(whoAmI(h.app.address, { tls: { ca: tls.otherCa } }))).code).toBe(
      status.UNAVAILABLE,
    );
  });
});

describe('mutual TLS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      tls: { cert: tls.serverCert, key: tls.serverKey, clientCa: tls.ca },
    });
  });
  afterAll(() => h.stop());

  it('serves a client with a certificate from the client CA', async () => {
    const me = await whoAmI(h.app.address, {
      tls: { ca: tls.ca, cert: tls.clientCert, key: tls.clientKey },
    });
    expect(me.role).toBe(Role.ROLE_PUBLIC);
  });

  it('refuses a client without a certificate', async () => {
    expect((await grpcError(whoAmI(h.app.address, { tls: { ca: tls.ca } }))).code).toBe(
      status.UNAVAILABLE,
    );
  });
});
