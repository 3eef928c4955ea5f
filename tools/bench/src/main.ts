import { cpus } from 'node:os';
import { parseBenchArgs } from './args.js';
import { benchConsole } from './console.bench.js';
import { benchEcho } from './echo.bench.js';
import { benchLc } from './lc.bench.js';
import { benchScheduler } from './scheduler.bench.js';
import { startOtlpSink } from './otlp-sink.js';
import { benchScoring } from './scoring.bench.js';
import { benchScoreboard } from './scoreboard.bench.js';
import { benchStart } from './start.bench.js';
import { median, printFigure } from './stats.js';
import { printProfiles, profileApps } from './profile.js';

// `npm run bench -- [--seconds 10] [--concurrency 64] [--batch-size 1000]`
// Prints figures; it asserts nothing. Targets are the foundation issue's, shown for reading.

const args = parseBenchArgs(process.argv.slice(2));
profileApps(args.profile);
console.log(
  `checkwire bench: ${cpus().length} cores, node ${process.version}, ${args.seconds}s per scenario ` +
    `after ${args.warmup}s warm-up`,
);

// Every part whose figures are read against the transport's ceiling measures it before and
// after, and reads its ratios against the mean: one 10-second echo moved a ratio by a third
// between two runs minutes apart (2026-12-03). The echo after one part is the next one's before.
let echoBefore =
  args.only === 'scoreboard' || args.only === 'console' || args.only === 'start'
    ? undefined
    : await benchEcho(args);
if (echoBefore !== undefined) printFigure(echoBefore);

/** Measures echo again after `part`; returns the mean of it and the echo before `part`. */
async function echoAround(part: string): Promise<{ rate: number }> {
  const before = echoBefore!;
  const after = await benchEcho(args);
  printFigure({ ...after, name: `(a) echo again, after ${part}` });
  echoBefore = after;
  const rate = (before.rate + after.rate) / 2;
  console.log(
    `echo around ${part}: ${before.rate.toFixed(0)} before, ${after.rate.toFixed(0)} after; ` +
      `its ratios are to the mean, ${rate.toFixed(0)} RPC/s`,
  );
  return { rate };
}

if (echoBefore !== undefined && (args.only === 'all' || args.only === 'scoring')) {
  const [lifecycle, batch] = await benchScoring(args, { synchronousCommit: true, batches: true });
  printFigure(lifecycle!);
  printFigure(batch!);
  // The same lifecycles with every span exported over OTLP (to a local sink, as to Jaeger),
  // alternating with untraced runs: the ratio of each pair, and their median, is tracing's cost.
  // A single pair is at the mercy of the machine's moment (it swung from -1 % to 21 %).
  const pairRatios: number[] = [];
  const plainRates: number[] = [];
  for (let pair = 0; pair < args.tracingPairs; pair++) {
    const [plain] =
      pair === 0
        ? [lifecycle!]
        : await benchScoring(args, { synchronousCommit: true, batches: false });
    const sink = await startOtlpSink();
    const [traced] = await benchScoring(args, {
      synchronousCommit: true,
      batches: false,
      otlpEndpoint: sink.endpoint,
    });
    await sink.stop();
    if (pair > 0) printFigure(plain!);
    printFigure({
      ...traced!,
      extra: {
        ...traced!.extra,
        otlpRequests: sink.stats.requests,
        otlpKiB: sink.stats.bytes / 1024,
      },
    });
    pairRatios.push(traced!.rate / plain!.rate);
    plainRates.push(plain!.rate);
  }
  // For reading only: how much of (b) is the wait for WAL flushes on this disk.
  const [relaxed] = await benchScoring(args, { synchronousCommit: false, batches: false });
  printFigure(relaxed!);
  const echo = await echoAround('(b)');
  const rpcRatio = (median(plainRates) * 3) / echo.rate;
  console.log(
    `ratio (b) RPC rate / mean echo: ${rpcRatio.toFixed(2)} (the median of the ` +
      `${plainRates.length} untraced runs)`,
  );
  const tracedRatio = median(pairRatios);
  console.log(
    `ratio (b) with tracing / without: ${tracedRatio.toFixed(2)}, the median of ` +
      `${pairRatios.length} alternating pairs (${pairRatios.map((r) => r.toFixed(2)).join(', ')}): ` +
      `tracing costs ${((1 - tracedRatio) * 100).toFixed(0)}% of throughput`,
  );
  console.log(
    'targets (issue 16): (b) RPC rate >= 0.6 of echo, p99 no worse; tracing costs <= 5%; ' +
      '(c) >= 50000 scores/s',
  );
}
if (echoBefore !== undefined && (args.only === 'all' || args.only === 'lc')) {
  // LimaCharlie callbacks through the gateway, and the gateway's bare-HTTP ceiling.
  const lc = await benchLc(args);
  printFigure(lc.bare);
  printFigure(lc.gateway);
  const echo = await echoAround('(e)');
  const slower = Math.min(lc.bare.rate, echo.rate);
  console.log(
    `ratio (e) gateway / slower ceiling (${lc.bare.rate < echo.rate ? 'bare HTTP' : 'echo'}): ` +
      `${(lc.gateway.rate / slower).toFixed(2)} (issue 16: >= 0.9 of echo)`,
  );
  // A callback is both hops on the same two cores: the bare HTTP work (d) and a gRPC call to the
  // handler (a). Their costs add, so the most the gateway could reach is 1 / (1/d + 1/a).
  const twoHops = 1 / (1 / lc.bare.rate + 1 / echo.rate);
  console.log(
    `ratio (e) gateway / two-hop ceiling 1/(1/(d)+1/(a)) = ${twoHops.toFixed(0)} callbacks/s: ` +
      `${(lc.gateway.rate / twoHops).toFixed(2)} (that ceiling is itself ` +
      `${(twoHops / echo.rate).toFixed(2)} of echo)`,
  );
}
if (args.only === 'all' || args.only === 'scheduler') {
  const [ticks, checks] = await benchScheduler(args, {
    sensors: 100_000,
    checks: 3000,
    runners: 2,
  });
  printFigure(ticks!);
  printFigure(checks!);
  if (echoBefore !== undefined) {
    const echo = await echoAround('(f) and (g)');
    // A tick is one callback RPC; a check is about one RPC's worth of scoring (batched).
    console.log(
      `ratio (f) ticks/s / mean echo RPC/s: ${(ticks!.rate / echo.rate).toFixed(2)} (issue 16: >= 0.8); ` +
        `ratio (g) checks/s / mean echo RPC/s: ${(checks!.rate / echo.rate).toFixed(2)} (issue 16: >= 0.3)`,
    );
  }
  console.log('targets: (f) 100,000 per-sensor ticks in under 60 s; (g) >= 1,000 TCP checks/s');
}
if (args.only === 'all' || args.only === 'scoreboard') {
  const shape = { teams: 100, servicesPerTeam: 20, rounds: args.scoreboardRounds };
  const { load, board, count } = await benchScoreboard(shape, 50);
  printFigure(load);
  printFigure(board);
  printFigure(count);
  console.log(
    `ratio (i) GetScoreboard p50 / one count(*) over the same ${shape.teams * shape.servicesPerTeam * shape.rounds} scores: ` +
      `${(board.p50Ms / count.p50Ms).toFixed(3)} (target: well under 1)`,
  );
}
if (args.only === 'all' || args.only === 'console') {
  // 3 changes per check started elsewhere: about a round of 2,000 checks a minute's worth.
  const figures = await benchConsole(50, 100);
  if (figures !== undefined) {
    printFigure(figures.page);
    printFigure(figures.watch);
    printFigure(figures.spinner);
    console.log(
      `ratio (j) spinner p50 / gRPC watch p50 on the same calls: ` +
        `${(figures.spinner.p50Ms / figures.watch.p50Ms).toFixed(2)} ` +
        `(p99 ${(figures.spinner.p99Ms / figures.watch.p99Ms).toFixed(2)}; the page gathers changes for 100 ms)`,
    );
  }
}
if (args.only === 'all' || args.only === 'start') await benchStart(5);
printProfiles();
