import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ConsoleApp } from '@checkwire/console';
import { createPromiseClient } from '@checkwire/grpc';
import {
  AdminServiceService,
  CompetitionServiceService,
  ScoringServiceService,
  StatusServiceService,
} from '@checkwire/proto';
import { startScoringOnPostgres } from './scoring-on-postgres.js';
import { Samples, type Figure } from './stats.js';

const BUILT = join(import.meta.dirname, '..', '..', '..', 'dist', 'apps', 'console');

export interface ConsoleFigures {
  /** Sign-in to every cell of the grid drawn, in Chromium. */
  page: Figure;
  /** InsertServiceScoreInProgress → the spinner in the page, with the other services changing. */
  spinner: Figure;
  /** The same calls → the change on a raw WatchServiceStatus gRPC stream (the ceiling). */
  watch: Figure;
}

/**
 * (j) The console's Service Status page on 100 teams × 20 services: how long until the grid is
 * drawn, and how long a spinner takes to appear after InsertServiceScoreInProgress while a
 * background writer changes `churnPerSecond` other services — beside its ceiling measured on the
 * same calls in the same run: the change arriving on a raw WatchServiceStatus stream.
 */
export async function benchConsole(
  samples: number,
  churnPerSecond: number,
): Promise<ConsoleFigures | undefined> {
  if (!existsSync(join(BUILT, 'index.html'))) {
    console.log('(j) skipped: the console is not built (npm run build)');
    return undefined;
  }
  const scoringServer = await startScoringOnPostgres('console');
  const token = scoringServer.adminToken;
  const app = { address: scoringServer.address };
  const options = { token };
  const competitions = createPromiseClient(CompetitionServiceService, app.address, options);
  const admin = createPromiseClient(AdminServiceService, app.address, options);
  const scoring = createPromiseClient(ScoringServiceService, app.address, options);
  const status = createPromiseClient(StatusServiceService, app.address, options);
  const consoleApp = await ConsoleApp.start({ scoringAddress: app.address, staticDir: BUILT });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  const watchAbort = new AbortController();
  let churning = true;
  try {
    await competitions.applyCompetition({
      competition: {
        name: 'bench',
        teams: Array.from({ length: 100 }, (_, t) => ({
          name: `team-${String(t + 1).padStart(3, '0')}`,
          services: Array.from({ length: 20 }, (_, s) => ({
            name: `svc-${String(s + 1).padStart(2, '0')}`,
            subtype: 'TCP',
            external: true,
            publicVisibility: true,
          })),
        })),
      },
    });
    const { services } = await admin.listServices({});
    const ids = services.map((s) => s.id);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const loadStart = performance.now();
    await page.goto(`${consoleApp.address}/sign-in`);
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Playwright counts the cells in the page (a locator, no DOM types needed here).
    const cells = page.locator('[data-testid^="cell-"]');
    while ((await cells.count()) < 2000) await page.waitForTimeout(50);
    const loadMs = performance.now() - loadStart;

    // The ceiling's stream: every change, as the console's own watch receives it.
    const seen = new Map<number, () => void>();
    const watching = (async () => {
      for await (const { event } of status.watchServiceStatus({}, { signal: watchAbort.signal })) {
        if (event?.$case === 'change' && event.value.inProgress)
          seen.get(event.value.serviceId)?.();
      }
    })().catch(() => undefined);

    // Other services start and finish checks in the background, as during a round.
    const measured = new Set(ids.slice(0, samples));
    const others = ids.filter((id) => !measured.has(id));
    const churn = (async () => {
      let i = 0;
      while (churning) {
        const id = others[i++ % others.length]!;
        await scoring.insertServiceScoreInProgress({ serviceId: id });
        await scoring.insertServiceScore({ serviceId: id, result: i % 3 === 0 ? 0 : 1 });
        await scoring.insertServiceScoreDone({ serviceId: id });
        await new Promise((r) => setTimeout(r, 3000 / churnPerSecond));
      }
    })();

    const spinner = new Samples();
    const watch = new Samples();
    for (const id of measured) {
      const svc = services.find((s) => s.id === id)!;
      const onWatch = new Promise<void>((resolve) => seen.set(id, resolve));
      const start = performance.now();
      const shown = page
        .locator(`[data-testid="cell-${svc.teamId}-${svc.name}"] [data-testid="spinner"]`)
        .waitFor({ timeout: 30_000 });
      await scoring.insertServiceScoreInProgress({ serviceId: id });
      await onWatch.then(() => watch.add(performance.now() - start));
      await shown;
      spinner.add(performance.now() - start);
      await scoring.insertServiceScoreDone({ serviceId: id });
    }
    churning = false;
    await churn;
    watchAbort.abort();
    await watching;
    const figure = (name: string, s: Samples): Figure => ({
      name,
      rate: s.count,
      unit: 'samples',
      p50Ms: s.percentile(50),
      p99Ms: s.percentile(99),
    });
    return {
      page: {
        name: '(j) status page, 2000 cells drawn',
        rate: 1,
        unit: 'load',
        p50Ms: loadMs,
        p99Ms: loadMs,
      },
      spinner: {
        ...figure('(j) in progress → spinner shown', spinner),
        extra: { churnPerSecond },
      },
      watch: figure('(j) in progress → gRPC watch', watch),
    };
  } finally {
    churning = false;
    watchAbort.abort();
    await browser.close();
    await consoleApp.stop();
    for (const c of [competitions, admin, scoring, status]) c.close();
    await scoringServer.stop();
  }
}
