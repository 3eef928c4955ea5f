import { parseArgs } from 'node:util';
import { EXTENSION_KINDS, type ExtensionKind } from '@checkwire/lc-wire';
import { UsageError } from './options.js';

export const EXTENSION_USAGE = `usage: npm run lc-sim -- --extension --url URL/ext/NAME --secret SECRET --kind KIND
         [--action ACTION] [--event-name subscribe|unsubscribe|update] [--error TEXT]
         [--data JSON | --data-file FILE] [--config JSON] [--oid OID] [--jwt JWT] [--ident IDENT]
         [--inv-id ID] [--idempotency-key KEY] [--gzip] [--json]
KIND: ${EXTENSION_KINDS.join(', ')}
  (request needs --action, event --event-name; both and conf_validation need --oid)
exit code: 0 HTTP 200, 1 any other answer or none, 2 usage`;

export interface ExtensionSimOptions {
  url: string;
  secret: string;
  kind: ExtensionKind;
  action: string;
  eventName: string;
  error: string;
  data: string | undefined;
  dataFile: string | undefined;
  config: string;
  oid: string;
  jwt: string;
  ident: string;
  invId: string;
  idempotencyKey: string | undefined;
  gzip: boolean;
  json: boolean;
}

/** Whether the command line asks for the Extensions protocol (`--extension`). */
export function isExtensionRun(args: readonly string[]): boolean {
  return args.includes('--extension');
}

const isKind = (k: string): k is ExtensionKind =>
  (EXTENSION_KINDS as readonly string[]).includes(k);

/** The `--extension` command line; `help` when --help was asked for. Throws UsageError. */
export function parseExtensionOptions(args: string[]): ExtensionSimOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        extension: { type: 'boolean' },
        help: { type: 'boolean', short: 'h', default: false },
        url: { type: 'string' },
        secret: { type: 'string' },
        kind: { type: 'string' },
        action: { type: 'string', default: '' },
        'event-name': { type: 'string', default: '' },
        error: { type: 'string', default: '' },
        data: { type: 'string' },
        'data-file': { type: 'string' },
        config: { type: 'string', default: '{}' },
        oid: { type: 'string', default: '' },
        jwt: { type: 'string', default: '' },
        ident: { type: 'string', default: '' },
        'inv-id': { type: 'string', default: '' },
        'idempotency-key': { type: 'string' },
        gzip: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const { url, secret, kind } = values;
  if (url === undefined || secret === undefined || kind === undefined) {
    const missing = (['url', 'secret', 'kind'] as const).filter((k) => values[k] === undefined);
    throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  }
  if (!isKind(kind)) throw new UsageError(`--kind must be one of ${EXTENSION_KINDS.join(', ')}`);
  if (kind === 'request' && values.action === '') throw new UsageError('a request needs --action');
  if (kind === 'event' && values['event-name'] === '') {
    throw new UsageError('an event needs --event-name');
  }
  if ((kind === 'request' || kind === 'event' || kind === 'conf_validation') && values.oid === '') {
    throw new UsageError(`${kind} needs --oid (the org it is about)`);
  }
  return {
    url,
    secret,
    kind,
    action: values.action,
    eventName: values['event-name'],
    error: values.error,
    data: values.data,
    dataFile: values['data-file'],
    config: values.config,
    oid: values.oid,
    jwt: values.jwt,
    ident: values.ident,
    invId: values['inv-id'],
    idempotencyKey: values['idempotency-key'],
    gzip: values.gzip,
    json: values.json,
  };
}
