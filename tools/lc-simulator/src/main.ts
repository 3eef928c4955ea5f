import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { canonicalBody, sign, SIGNATURE_HEADER } from '@checkwire/lc-wire';
import { renderResponse } from './render.js';

// Sends one callback to a gateway exactly as LimaCharlie does (lcservice's simulator): the body
// {data, oid, deadline, mid, etype, jwt} rendered with sorted keys, signed with the origin
// secret, POSTed as application/json by "lc-services"; prints the answer for a person.

const USAGE = `usage: npm run lc-sim -- --url URL --secret SECRET --etype ETYPE
         [--oid OID] [--jwt JWT] [--data JSON | --data-file FILE] [--deadline SECONDS] [--json]`;

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    secret: { type: 'string' },
    etype: { type: 'string' },
    oid: { type: 'string', default: '' },
    jwt: { type: 'string', default: '' },
    data: { type: 'string' },
    'data-file': { type: 'string' },
    deadline: { type: 'string', default: '590' },
    json: { type: 'boolean', default: false },
  },
});
if (values.url === undefined || values.secret === undefined || values.etype === undefined) {
  console.error(USAGE);
  process.exit(2);
}
const dataText =
  values['data-file'] !== undefined
    ? readFileSync(values['data-file'], 'utf8')
    : (values.data ?? '{}');
let data: unknown;
try {
  data = JSON.parse(dataText);
} catch (err) {
  console.error(`--data is not JSON: ${(err as Error).message}`);
  process.exit(2);
}
const body: Record<string, unknown> = {
  data,
  deadline: Math.floor(Date.now() / 1000) + Number(values.deadline),
  etype: values.etype,
  mid: randomUUID(),
};
if (values.oid !== '') body.oid = values.oid;
if (values.jwt !== '') body.jwt = values.jwt;
const bytes = canonicalBody(body);
const res = await fetch(values.url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'user-agent': 'lc-services',
    [SIGNATURE_HEADER]: sign(values.secret, bytes),
  },
  body: bytes,
});
const answer = (await res.json()) as Parameters<typeof renderResponse>[1];
console.log(values.json ? JSON.stringify(answer, null, 2) : renderResponse(res.status, answer));
process.exitCode = res.ok ? 0 : 1;
