import { createPromiseClient } from '@checkwire/grpc';
import { startScoringOnPostgres } from './scoring-on-postgres.js';
import {
  AdminServiceService,
  Role,
  ScoringServiceService,
  TokenServiceService,
} from '@checkwire/proto';
import { serviceDraft } from '@checkwire/testing';
import type { BenchArgs } from './args.js';
import { closedLoop, type Figure } from './stats.js';

/**
 * (b) check lifecycles and (c) batch inserts against apps/scoring as its own process, on an
 * embedded PostgreSQL with its default (durable) settings.
 */
export async function benchScoring(
  args: BenchArgs,
  {
    synchronousCommit,
    batches,
    otlpEndpoint,
  }: { synchronousCommit: boolean; batches: boolean; otlpEndpoint?: string },
): Promise<Figure[]> {
  const server = await startScoringOnPostgres('scoring', {
    SCORING_SYNCHRONOUS_COMMIT: synchronousCommit ? 'on' : 'off',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint ?? '',
  });
  const adminToken = server.adminToken;
  const app = { address: server.address };
  const admin = createPromiseClient(AdminServiceService, app.address, { token: adminToken });
  const tokens = createPromiseClient(TokenServiceService, app.address, { token: adminToken });
  // Checks score as a check runner would, with its own token.
  const { secret } = await tokens.createToken({
    name: 'bench runner',
    role: Role.ROLE_CHECK_RUNNER,
    subtypes: [],
    serviceIds: [],
  });
  tokens.close();
  const scoring = createPromiseClient(ScoringServiceService, app.address, { token: secret });
  try {
    const { team } = await admin.createTeam({ name: 'bench' });
    const ids: number[] = [];
    for (let i = 0; i < args.concurrency; i++) {
      const created = await admin.createService({
        service: serviceDraft(team!.id, { subtype: `bench-${i}` }),
      });
      ids.push(created.service!.id);
    }

    // (b) each client runs whole lifecycles on its own service.
    const lifecycle = await closedLoop(
      args.concurrency,
      args.warmup,
      args.seconds,
      async (loop) => {
        const serviceId = ids[loop]!;
        await scoring.insertServiceScoreInProgress({ serviceId });
        await scoring.insertServiceScore({ serviceId, result: loop });
        await scoring.insertServiceScoreDone({ serviceId });
      },
    );

    const lifecycleFigure: Figure = {
      name: `(b) lifecycles, ${args.concurrency} clients${synchronousCommit ? '' : ', async commit'}${otlpEndpoint === undefined ? '' : ', tracing'}`,
      rate: lifecycle.rate,
      unit: 'lifecycles/s',
      p50Ms: lifecycle.samples.percentile(50),
      p99Ms: lifecycle.samples.percentile(99),
      extra: { rpcPerSec: lifecycle.rate * 3 },
    };
    if (!batches) return [lifecycleFigure];

    // (c) batches spread over every service.
    const entries = Array.from({ length: args.batchSize }, (_, i) => ({
      serviceId: ids[i % ids.length]!,
      result: i,
    }));
    const batch = await closedLoop(args.batchConcurrency, args.warmup, args.seconds, async () => {
      await scoring.insertServiceScores({ entries });
    });

    return [
      lifecycleFigure,
      {
        name: `(c) batch of ${args.batchSize}, ${args.batchConcurrency} callers`,
        rate: batch.rate * args.batchSize,
        unit: 'scores/s',
        p50Ms: batch.samples.percentile(50),
        p99Ms: batch.samples.percentile(99),
        extra: { batchesPerSec: batch.rate },
      },
    ];
  } finally {
    admin.close();
    scoring.close();
    await server.stop();
  }
}
