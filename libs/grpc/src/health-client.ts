import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

interface HealthClient {
  check(
    req: { service: string },
    options: { deadline: number },
    cb: (err: ServiceError | null, res: { status: string }) => void,
  ): void;
  close(): void;
}

type HealthClientClass = new (address: string, creds: unknown) => HealthClient;
let Health: HealthClientClass | undefined;

/** What grpc.health.v1 says of `service` ('' = the server) at `address`. */
export async function healthStatus(address: string, service = ''): Promise<string> {
  Health ??= (
    loadPackageDefinition(loadSync(protoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: HealthClientClass } } };
    }
  ).grpc.health.v1.Health;
  const client = new Health(address, credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) =>
      client.check({ service }, { deadline: Date.now() + 5000 }, (err, res) =>
        err ? reject(err) : resolve(res.status),
      ),
    );
  } finally {
    client.close();
  }
}
