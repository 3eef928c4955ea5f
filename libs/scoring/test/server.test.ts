import { fileURLToPath } from 'node:url';
import { credentials, loadPackageDefinition, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

type Callback<T> = (err: ServiceError | null, res: T) => void;
interface HealthClient {
  check(req: { service: string }, cb: Callback<{ status: string }>): void;
  close(): void;
}

describe('scoring server', () => {
  it('implements grpc.health.v1 for the server and each service', async () => {
    const pkg = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (a: string, c: unknown) => HealthClient } } };
    };
    const client = new pkg.grpc.health.v1.Health(h.app.address, credentials.createInsecure());
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) =>
        client.check({ service }, (err, res) => (err ? reject(err) : resolve(res))),
      );
    expect(await check('')).toEqual({ status: 'SERVING' });
    expect(await check('checkwire.scoring.v1.ScoringService')).toEqual({ status: 'SERVING' });
    expect(await check('checkwire.scoring.v1.StatusService')).toEqual({ status: 'SERVING' });
    await expect(check('no.such.Service')).rejects.toMatchObject({ code: status.NOT_FOUND });
    client.close();
  });

  it('serves reflection listing every Checkwire service', async () => {
    const reflectionProto = loadSync(
      fileURLToPath(
        new URL(
          '../../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto',
          import.meta.url,
        ),
      ),
    );
    const pkg = loadPackageDefinition(reflectionProto) as unknown as {
      grpc: {
        reflection: {
          v1: {
            ServerReflection: new (
              a: string,
              c: unknown,
            ) => {
              serverReflectionInfo(): NodeJS.ReadWriteStream & {
                write(m: unknown): void;
                end(): void;
                on(
                  e: 'data',
                  cb: (m: { listServicesResponse?: { service: { name: string }[] } }) => void,
                ): void;
              };
              close(): void;
            };
          };
        };
      };
    };
    const client = new pkg.grpc.reflection.v1.ServerReflection(
      h.app.address,
      credentials.createInsecure(),
    );
    const call = client.serverReflectionInfo();
    const names = await new Promise<string[]>((resolve, reject) => {
      call.on('data', (m) => resolve((m.listServicesResponse?.service ?? []).map((s) => s.name)));
      call.on('error', reject);
      call.write({ listServices: '' });
    });
    call.end();
    client.close();
    expect(names).toEqual(
      expect.arrayContaining([
        'checkwire.scoring.v1.ScoringService',
        'checkwire.scoring.v1.AdminService',
        'checkwire.scoring.v1.StatusService',
      ]),
    );
  });
});
