import { request } from 'node:http';

// (h)'s attackers, in their own process: four senders POSTing about 4 MiB of JSON (2,000 keys of
// 2,000 characters) with a well-formed but wrong `lc-svc-sig`, one after another, each on a new
// connection, to BENCH_ATTACK_URL. On SIGTERM it prints how they were answered.

const url = process.env.BENCH_ATTACK_URL ?? 'http://127.0.0.1:8080/';
const body = Buffer.from(
  JSON.stringify(
    Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [
        `${'k'.repeat(1990)}${String(i).padStart(10, '0')}`,
        i,
      ]),
    ),
  ),
);
const answers = new Map<string, number>();
let stopping = false;

function attack(): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'lc-svc-sig': 'f'.repeat(64),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    req.end(body);
  });
}

async function attacker(): Promise<void> {
  while (!stopping) {
    const answer = await attack();
    answers.set(answer, (answers.get(answer) ?? 0) + 1);
  }
}

for (let i = 0; i < 4; i++) void attacker();
console.log(`lc-attacker: 4 senders of ${body.length} bytes attacking ${url}`);
process.on('SIGTERM', () => {
  stopping = true;
  console.log(`lc-attacker answers ${JSON.stringify(Object.fromEntries(answers))}`);
  process.exit(0);
});
