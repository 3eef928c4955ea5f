import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  EXTENSION_PROTOCOL_VERSION,
  EXTENSION_SIGNATURE_HEADER,
  gunzipBounded,
  InflatedTooLargeError,
  isSignatureShaped,
  NotGzipError,
  parseExtensionEnvelope,
  startSignature,
  type CallbackLimits,
  type StreamingSignature,
} from '@checkwire/lc-wire';
import type { BodyBudget } from './body-budget.js';
import { extensionStarted, recordExtensionMessage } from './extension-metrics.js';
import type { ExtensionProcessor } from './extension-processor.js';
import type { ExtensionRoute } from './extension-route.js';
import { HttpError, overBudget, send, unsigned } from './http-error.js';
import { parseJson } from './json-body.js';
import { readBody } from './read-body.js';

/**
 * Whether the body is gzip (`Content-Encoding: gzip`, as LimaCharlie sends production bodies) or
 * plain (none, or `identity`). Any other encoding is refused (415): the signature covers the
 * decoded bytes, which the gateway could not make.
 */
function isGzip(req: IncomingMessage): boolean {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return true;
  if (encoding === '' || encoding === 'identity') return false;
  throw new HttpError(
    415,
    `Content-Encoding ${JSON.stringify(encoding)} is not supported (gzip is)`,
  );
}

/**
 * lc-extension knows only 200, 400 and 500: past the budget (503 on the callback routes) an
 * extension message is answered 500 in its own shape, retriable, so LimaCharlie sends it again.
 */
function asExtensionAnswer(err: unknown): unknown {
  if (!(err instanceof HttpError) || err.status !== 503) return err;
  const body = { version: EXTENSION_PROTOCOL_VERSION, error: err.message, retriable: true };
  return new HttpError(500, err.message, err.headers, body);
}

/** The extension name a path `<name>` (after `/ext/`) gives; '' for a malformed escape. */
function extensionName(rest: string): string {
  try {
    return decodeURIComponent(rest);
  } catch {
    return '';
  }
}

/**
 * The extension routes: `POST /ext/<name>`, signed in `lc-ext-sig` over the uncompressed body.
 * The body is read under the extension limits (413 past `maxExtensionBodyBytes`, 500 retriable
 * past the budget, 408),
 * inflated when gzip (413 past `maxExtensionBodyBytes`, or past `maxGzipRatio` times the
 * compressed size plus 1 MiB), hashed as it comes, and only parsed once the signature matched
 * (401 otherwise). Every byte held, as it came and inflated, counts against the extensions' own
 * budget (the compressed bytes only until they are inflated) (`maxExtensionBytesInFlight`), never the lcservice routes': unsigned extension traffic
 * cannot make a LimaCharlie callback wait.
 */
export class ExtensionEndpoint {
  private readonly routes: Map<string, ExtensionRoute>;

  constructor(
    routes: ExtensionRoute[],
    private readonly processor: ExtensionProcessor,
    private readonly limits: CallbackLimits,
    /** The extensions' own bytes-in-flight budget (maxExtensionBytesInFlight). */
    private readonly budget: BodyBudget,
  ) {
    this.routes = new Map(routes.map((r) => [r.name, r]));
  }

  async handle(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const receivedAt = Date.now();
    const route = this.routes.get(extensionName(rest));
    if (route === undefined) throw new HttpError(404, `no extension at /ext/${rest}`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new HttpError(405, 'only POST is accepted');
    }
    const gzip = isGzip(req);
    const header = req.headers[EXTENSION_SIGNATURE_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    if (!isSignatureShaped(given)) throw unsigned(EXTENSION_SIGNATURE_HEADER);
    const mac = startSignature(route.config.secret);
    const raw = await readBody(req, this.limits.maxExtensionBodyBytes, this.budget, (chunk) => {
      if (!gzip) mac.update(chunk);
    }).catch((err: unknown) => {
      throw asExtensionAnswer(err);
    });
    let inflatedHeld = 0;
    try {
      let chunks = raw.chunks;
      if (gzip) {
        chunks = await this.inflate(raw.chunks, mac, (n) => (inflatedHeld += n));
        // The compressed bytes are no longer needed: only the inflated ones stay counted.
        raw.release();
      }
      if (!mac.matches(given)) throw unsigned(EXTENSION_SIGNATURE_HEADER);
      const started = extensionStarted();
      const body = parseJson(chunks);
      const parsed =
        body === undefined ? { problem: 'the body is not JSON' } : parseExtensionEnvelope(body);
      if ('problem' in parsed) {
        recordExtensionMessage('_INVALID', 'refused', started);
        const refusal = {
          version: EXTENSION_PROTOCOL_VERSION,
          error: parsed.problem,
          retriable: false,
          data: {},
        };
        return send(res, 400, refusal);
      }
      const answer = await this.processor.process(route, parsed.envelope, receivedAt);
      // The caller went away (LimaCharlie gave up): it sends the message again.
      if (!res.destroyed && res.socket !== null && !res.socket.destroyed) {
        send(res, answer.status, answer.body);
      }
    } finally {
      raw.release();
      this.budget.give(inflatedHeld);
    }
  }

  /**
   * The gzip body inflated, hashed and counted against the budget as it comes; 413 past the
   * inflated limits, 500 retriable past the budget, 400 not gzip.
   */
  private async inflate(
    compressed: readonly Buffer[],
    mac: StreamingSignature,
    held: (bytes: number) => void,
  ): Promise<Buffer[]> {
    const limits = {
      maxBytes: this.limits.maxExtensionBodyBytes,
      maxRatio: this.limits.maxGzipRatio,
    };
    try {
      return await gunzipBounded(compressed, limits, (chunk) => {
        if (!this.budget.take(chunk.length)) throw asExtensionAnswer(overBudget());
        held(chunk.length);
        mac.update(chunk);
      });
    } catch (err) {
      if (err instanceof InflatedTooLargeError) throw new HttpError(413, err.message);
      if (err instanceof NotGzipError) throw new HttpError(400, err.message);
      throw err;
    }
  }
}
