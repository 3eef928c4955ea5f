import { randomUUID } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  StandinCloud,
  type DeliveredTask,
  type ParsedRequest,
  type StoredRule,
} from './standin.cloud.js';
import { FaultQueue, type StandinFault } from './standin.faults.js';
import { StandinJwtIssuer } from './standin.jwt.js';

/**
 * A STAND-IN for LimaCharlie's cloud REST API (https://api.limacharlie.io), for tests: LimaCharlie
 * cannot be reached from here. It serves only what an lcservice InteractiveService calls: tasking
 * a sensor (`POST /v1/{sid}`) and adding/deleting a D&R rule (`POST`/`DELETE /v1/rules/{oid}`),
 * form-encoded, with a JWT as `Authorization: Bearer`. It records every request, and can be told
 * to fail (a status, a hang, a reset, a huge answer) before or after doing what was asked.
 */

/** A request as the stand-in received it. */
export interface StandinRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  userAgent: string | undefined;
  idempotentKey: string | undefined;
  /** Form body and query parameters together (LimaCharlie reads both). */
  params: URLSearchParams;
  /** The status answered, or what was done instead; undefined while the answer is on its way. */
  answered: number | 'hang' | 'reset' | undefined;
}

export interface StandinOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
}

/** Larger request bodies get 413 (a rule is a few KiB). */
const MAX_REQUEST_BYTES = 1024 * 1024;

export class LcCloudStandin {
  readonly requests: StandinRequest[] = [];
  private readonly jwts = new StandinJwtIssuer();
  private readonly cloud = new StandinCloud(this.jwts, () => Math.floor(Date.now() / 1000));
  private readonly faults = new FaultQueue();

  private constructor(
    private readonly server: Server,
    /** Base URL, without the `/v1` version path (as the client's `baseUrl`). */
    readonly url: string,
  ) {}

  static async start(options: StandinOptions = {}): Promise<LcCloudStandin> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    const standin = new LcCloudStandin(server, `http://${host}:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      standin.onRequest(req, res).catch((err: unknown) => {
        // A bug of the stand-in itself: say so loudly rather than answer something plausible.
        console.error('lc-cloud-standin: internal error', err);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    return standin;
  }

  /** Tasks LimaCharlie would have sent to sensors, in order. */
  get tasks(): readonly DeliveredTask[] {
    return this.cloud.tasks;
  }

  /** A new sensor in `oid` (a random sid unless given). */
  addSensor(oid: string, sid?: string): string {
    return this.cloud.addSensor(oid, sid);
  }

  rules(oid: string, namespace = 'general'): ReadonlyMap<string, StoredRule> {
    return this.cloud.rules(oid, namespace);
  }

  /** A JWT for `oid` with these permissions, valid one hour unless told otherwise (0: expired). */
  issueJwt(opts: { oid: string | string[]; perms: string[]; expiresInSeconds?: number }): string {
    const now = Math.floor(Date.now() / 1000);
    return this.jwts.issue({
      oid: typeof opts.oid === 'string' ? [opts.oid] : opts.oid,
      perms: opts.perms,
      iat: now,
      exp: now + (opts.expiresInSeconds ?? 3600),
    });
  }

  /** Misbehave on the next `times` requests (after any faults already waiting). */
  inject(fault: StandinFault, times = 1): void {
    this.faults.push(fault, times);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Stops at once: hanging requests and idle connections are closed too. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const body = await readBounded(req, MAX_REQUEST_BYTES);
    const params = new URLSearchParams(url.search);
    const contentType = req.headers['content-type'];
    if (body !== undefined && /^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    }
    const record: StandinRequest = {
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
      contentType,
      userAgent: req.headers['user-agent'],
      idempotentKey: header(req, 'x-idempotent-key'),
      params,
      answered: undefined,
    };
    this.requests.push(record);
    if (body === undefined) return this.answer(res, record, 413, { error: 'request too large' });

    const fault = this.faults.take();
    if (fault !== undefined && fault.afterApplying !== true)
      return this.misbehave(res, record, fault);
    const parsed: ParsedRequest = {
      method: record.method,
      path: record.path,
      authorization: record.authorization,
      idempotentKey: record.idempotentKey,
      params,
    };
    const answer = this.cloud.handle(parsed);
    if (fault !== undefined) return this.misbehave(res, record, fault);
    this.answer(res, record, answer.status, answer.json);
  }

  private answer(res: ServerResponse, record: StandinRequest, status: number, json: unknown): void {
    record.answered = status;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  }

  private async misbehave(
    res: ServerResponse,
    record: StandinRequest,
    fault: StandinFault,
  ): Promise<void> {
    if (fault.kind === 'hang') {
      record.answered = 'hang';
      return;
    }
    if (fault.kind === 'reset') {
      record.answered = 'reset';
      res.socket?.destroy();
      return;
    }
    record.answered = fault.status;
    res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
    const body = fault.body ?? JSON.stringify({ error: STATUS_CODES[fault.status] ?? 'error' });
    await writeRepeated(res, body, fault.repeatBody ?? 1);
  }
}

/** A fresh org id (LimaCharlie's are UUIDs). */
export const newOid = (): string => randomUUID();

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body, or undefined when it is larger than `max` (the rest is read and dropped). */
async function readBounded(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size <= max) chunks.push(buf);
  }
  return size > max ? undefined : Buffer.concat(chunks);
}

/** Writes `chunk` `times` times, waiting for the client to read; stops if it goes away. */
async function writeRepeated(res: ServerResponse, chunk: string, times: number): Promise<void> {
  for (let i = 0; i < times && !res.destroyed; i++) {
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
}
