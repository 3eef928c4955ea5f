import { gzipSync } from 'node:zlib';
import {
  GrpcStatus,
  ServerError,
  startGrpcServer,
  unary,
  type RunningGrpcServer,
} from '@checkwire/grpc';
import { EXTENSION_SIGNATURE_HEADER, sign } from '@checkwire/lc-wire';
import {
  ContinuationServiceService,
  LcRegistryServiceService,
  type ContinuationServiceServer,
  type LcRegistryServiceServer,
  type RecordOrgInstalledRequest,
  type RecordOrgJwtRequest,
  type RecordOrgUninstalledRequest,
  type ScheduleContinuationsRequest,
} from '@checkwire/proto';

/**
 * A ContinuationService that records what it is asked to store, and an LcRegistryService that
 * records what it is told (a test double of the scheduler's, a real gRPC server on 127.0.0.1:0):
 * for the gateway's own tests, which check what the gateway hands over and how it answers each
 * scheduler outcome. The real scheduler's storing, delivery and registry are tested in
 * libs/scheduler, and with the gateway in extension-scheduler.test.ts.
 */
export class RecordingScheduler {
  readonly received: ScheduleContinuationsRequest[] = [];
  /** What the registry was told, in order: `installed <service> <oid> <jwt>`, `uninstalled …`, `jwt …`. */
  readonly registry: string[] = [];
  /** The next calls fail with this status (none: they succeed). */
  failWith: { code: GrpcStatus; details: string } | undefined;

  private constructor(private readonly server: RunningGrpcServer) {}

  get address(): string {
    return this.server.address;
  }

  static async start(): Promise<RecordingScheduler> {
    const ref: { self?: RecordingScheduler } = {};
    const implementation: ContinuationServiceServer = {
      scheduleContinuations: unary((req: ScheduleContinuationsRequest) => {
        const failWith = ref.self!.failWith;
        if (failWith !== undefined) {
          return Promise.reject(new ServerError(failWith.code, failWith.details));
        }
        ref.self!.received.push(req);
        return Promise.resolve({
          ids: req.continuations.map((_, i) => `${req.sourceKey}/${i}`),
        });
      }),
      listContinuations: unary(() => Promise.resolve({ continuations: [] })),
      requeueContinuation: unary(() =>
        Promise.reject(new ServerError(GrpcStatus.UNIMPLEMENTED, 'not in this test double')),
      ),
    };
    const told = (line: string) => ref.self!.registry.push(line);
    const registry: LcRegistryServiceServer = {
      recordOrgInstalled: unary((req: RecordOrgInstalledRequest) => {
        told(`installed ${req.serviceName} ${req.oid} ${req.jwt}`);
        return Promise.resolve({});
      }),
      recordOrgUninstalled: unary((req: RecordOrgUninstalledRequest) => {
        told(`uninstalled ${req.serviceName} ${req.oid}`);
        return Promise.resolve({});
      }),
      recordOrgJwt: unary((req: RecordOrgJwtRequest) => {
        told(`jwt ${req.serviceName} ${req.oid} ${req.jwt}`);
        return Promise.resolve({ updated: true });
      }),
      recordSensors: unary(() => Promise.resolve({ added: 0 })),
      listOrgs: unary(() => Promise.resolve({ orgs: [] })),
    };
    const server = await startGrpcServer({
      services: [
        {
          name: 'checkwire.scheduler.v1.ContinuationService',
          definition: ContinuationServiceService,
          implementation,
        },
        {
          name: 'checkwire.scheduler.v1.LcRegistryService',
          definition: LcRegistryServiceService,
          implementation: registry,
        },
      ],
    });
    ref.self = new RecordingScheduler(server);
    return ref.self;
  }

  stop(): Promise<void> {
    return this.server.shutdown(100);
  }
}

export interface ExtensionPost {
  secret: string;
  /** Send the body gzip-compressed with `Content-Encoding: gzip` (signed uncompressed). */
  gzip?: boolean;
  /** The exact bytes to send, as they go on the wire (compressed already, if gzip). */
  raw?: Buffer;
  /** The signature to send (default: HMAC of the uncompressed JSON); null sends none. */
  signature?: string | null;
  headers?: Record<string, string>;
  method?: string;
}

/** POSTs an extension envelope as LimaCharlie does; the status and the parsed answer. */
export async function postExtension(
  url: string,
  body: unknown,
  o: ExtensionPost,
): Promise<{ status: number; json: any }> {
  const plain = Buffer.from(JSON.stringify(body), 'utf8');
  const bytes = o.raw ?? (o.gzip === true ? gzipSync(plain) : plain);
  const signature = o.signature === undefined ? sign(o.secret, plain) : o.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
  if (o.gzip === true) headers['content-encoding'] = 'gzip';
  if (signature !== null) headers[EXTENSION_SIGNATURE_HEADER] = signature;
  const res = await fetch(url, {
    method: o.method ?? 'POST',
    headers,
    body: o.method === 'GET' ? undefined : bytes,
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}
