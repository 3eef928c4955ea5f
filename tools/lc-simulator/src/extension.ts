import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  EXTENSION_PROTOCOL_VERSION,
  EXTENSION_SIGNATURE_HEADER,
  sign,
  type ExtensionResponseBody,
} from '@checkwire/lc-wire';
import {
  EXTENSION_USAGE,
  parseExtensionOptions,
  type ExtensionSimOptions,
} from './extension-options.js';
import { parseJsonFlag, readFlagFile, refusal } from './input.js';
import { postSigned, type AnswerPrinter } from './post-signed.js';

export { isExtensionRun } from './extension-options.js';

// Sends one LimaCharlie Extensions message (lc-extension's envelope) to a gateway's /ext/<name>:
// the JSON body signed in lc-ext-sig over its uncompressed bytes, gzip-compressed with --gzip as
// LimaCharlie sends production bodies; prints the answer. Exit code: 0 HTTP 200, 1 any other
// answer or none, 2 usage (a bad flag, or --data, --data-file, --config that is not JSON).

function dataOf(o: ExtensionSimOptions): unknown {
  if (o.dataFile === undefined) return parseJsonFlag('--data', o.data ?? '{}');
  return parseJsonFlag('--data-file', readFlagFile('--data-file', o.dataFile));
}

/** The envelope LimaCharlie would send for these options. */
export function extensionEnvelope(o: ExtensionSimOptions, idempotencyKey: string): unknown {
  const org = { oid: o.oid, jwt: o.jwt, ident: o.ident };
  const config = parseJsonFlag('--config', o.config);
  const message = (() => {
    switch (o.kind) {
      case 'heartbeat':
      case 'schema_request':
        return {};
      case 'error_report':
        return { error: o.error, oid: o.oid };
      case 'conf_validation':
        return { org, conf: config };
      case 'request':
        return { org, action: o.action, data: dataOf(o), config, inv_id: o.invId };
      case 'event':
        return { org, event_name: o.eventName, data: dataOf(o), config };
    }
  })();
  return {
    version: EXTENSION_PROTOCOL_VERSION,
    idempotency_key: idempotencyKey,
    [o.kind]: message,
  };
}

const isAnswer = (v: unknown): v is Partial<ExtensionResponseBody> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'error' in v;

/** The answer as a person wants to read it. */
export function renderExtensionAnswer(
  status: number,
  body: Partial<ExtensionResponseBody>,
): string {
  const error = typeof body.error === 'string' ? body.error : '';
  const lines = [
    error === ''
      ? `HTTP ${status}: success`
      : `HTTP ${status}: error (${status === 500 ? 'LimaCharlie will send it again' : 'final'}): ${error}`,
  ];
  if (body.data !== undefined && JSON.stringify(body.data) !== '{}') {
    lines.push(`data: ${JSON.stringify(body.data, null, 2)}`);
  }
  for (const m of body.metrics?.metrics ?? []) lines.push(`metric: ${m.sku} = ${m.value}`);
  return lines.join('\n');
}

/** Prints an extension's answer (`json`: as it came, indented); 0 for HTTP 200, else 1. */
function printExtensionAnswer(json: boolean): AnswerPrinter {
  return (status, answer, text) => {
    if (!isAnswer(answer)) {
      console.log(`HTTP ${status} (not an extension answer):\n${text}`);
      return 1;
    }
    console.log(json ? JSON.stringify(answer, null, 2) : renderExtensionAnswer(status, answer));
    return status === 200 ? 0 : 1;
  };
}

/** Runs `--extension`: the exit code. */
export async function runExtensionSimulator(args: string[]): Promise<number> {
  let options: ExtensionSimOptions;
  let body: Buffer;
  try {
    const parsed = parseExtensionOptions(args);
    if (parsed === 'help') {
      console.log(EXTENSION_USAGE);
      return 0;
    }
    options = parsed;
    const envelope = extensionEnvelope(options, options.idempotencyKey ?? randomUUID());
    body = Buffer.from(JSON.stringify(envelope), 'utf8');
  } catch (err) {
    return refusal(err, 'lc-sim', EXTENSION_USAGE);
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [EXTENSION_SIGNATURE_HEADER]: sign(options.secret, body),
  };
  if (options.gzip) headers['content-encoding'] = 'gzip';
  return postSigned(
    { url: options.url, headers, body: options.gzip ? gzipSync(body) : body },
    printExtensionAnswer(options.json),
  );
}
