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
const deadline = Number(values.deadline);
if (values.deadline.trim() === '' || !Number.isFinite(deadline)) {
  console.error(`--deadline must be a number of seconds, got "${values.deadline}"`);
  process.exit(2);
}
// Every field, always, as lcservice's simulator sends them (oid and jwt empty when not given).
const body = {
  data,
  deadline: Math.floor(Date.now() / 1000) + deadline,
  etype: values.etype,
  jwt: values.jwt,
  mid: randomUUID(),
  oid: values.oid,
};
const bytes = canonicalBody(body);
let res: Response;
try {
  res = await fetch(values.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'lc-services',
      [SIGNATURE_HEADER]: sign(values.secret, bytes),
    },
    body: bytes,
  });
} catch (err) {
  const cause = (err as { cause?: unknown }).cause;
  console.error(
    `could not reach ${values.url}: ${cause instanceof Error ? cause.message : String(err)}`,
  );
  process.exit(1);
}
const text = await res.text();
let answer: Parameters<typeof renderResponse>[1] | undefined;
try {
  answer = JSON.parse(text) as Parameters<typeof renderResponse>[1];
} catch {
  answer = undefined;
}
if (answer === undefined || typeof answer !== 'object' || answer === null) {
  // Not a gateway answer (a proxy's error page, another server): show it as it came.
  console.log(`HTTP ${res.status} (not a JSON answer):\n${text}`);
  process.exitCode = 1;
} else {
  console.log(values.json ? JSON.stringify(answer, null, 2) : renderResponse(res.status, answer));
  process.exitCode = res.ok ? 0 : 1;
}
