import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { ConsoleApp } from '@checkwire/console';
import { createPromiseClient, type PromiseClient } from '@checkwire/grpc';
import { JobsApp } from '@checkwire/jobs';
import {
  AdminServiceService,
  CompetitionServiceService,
  JobsServiceService,
  Role,
  ScoringServiceService,
  TokenServiceService,
} from '@checkwire/proto';
import { ScoringApp } from '@checkwire/scoring';
import { createTestDatabase, serviceDraft, type TestDatabase } from '@checkwire/testing';

/** The front end `nx run console-app:build` wrote (the test target builds it first). */
export const BUILT = fileURLToPath(new URL('../../../dist/apps/console', import.meta.url));

/**
 * A real scoring server over a fresh database, the console in front of it, and Debian's Chromium:
 * two teams, each with a public web service and a hidden one (and Bravo a public mail service
 * with a score cap), and a token per kind of person.
 */
export interface ConsoleWorld {
  console: ConsoleApp;
  databaseUrl: string;
  browser: Browser;
  scoring: PromiseClient<typeof ScoringServiceService>;
  /** The Jobs server, called as the white team (as the LC gateway would store jobs). */
  jobs: PromiseClient<typeof JobsServiceService>;
  /** The competition file's service, as the white team (SLA rules are set only there). */
  competitions: PromiseClient<typeof CompetitionServiceService>;
  teams: { alpha: number; bravo: number };
  services: {
    alphaWww: number;
    alphaDb: number;
    bravoWww: number;
    bravoVault: number;
    /** Capped at 10: a result from 1 to 9 earns part of its points. */
    bravoMail: number;
  };
  tokens: { admin: string; blue: string; alphaCaptain: string; runner: string; scheduler: string };
  revoke(token: 'blue'): Promise<void>;
  stop(): Promise<void>;
}

export async function startConsoleWorld(): Promise<ConsoleWorld> {
  const database: TestDatabase = await createTestDatabase();
  const app = await ScoringApp.start({ databaseUrl: database.url, bootstrapAdminToken: true });
  const admin = app.bootstrapToken!.secret;
  const options = { token: admin };
  const adminClient = createPromiseClient(AdminServiceService, app.address, options);
  const tokenClient = createPromiseClient(TokenServiceService, app.address, options);

  const team = async (name: string) => (await adminClient.createTeam({ name })).team!.id;
  const alpha = await team('Alpha');
  const bravo = await team('Bravo');
  const hidden = { publicVisibility: false, blueVisibility: false };
  const service = async (teamId: number, name: string, extra = {}) =>
    (await adminClient.createService({ service: serviceDraft(teamId, { name, ...extra }) }))
      .service!.id;
  const services = {
    alphaWww: await service(alpha, 'www'),
    alphaDb: await service(alpha, 'db', { subtype: 'MySQL', port: 3306, ...hidden }),
    bravoWww: await service(bravo, 'www'),
    bravoVault: await service(bravo, 'vault', { subtype: 'SSH', port: 22, ...hidden }),
    bravoMail: await service(bravo, 'mail', {
      subtype: 'SMTP',
      port: 25,
      points: 100,
      scoreCap: 10,
    }),
  };
  const mint = async (name: string, role: Role, teamId?: number) => {
    const created = await tokenClient.createToken({ name, role, teamId });
    return { id: created.token!.id, secret: created.secret };
  };
  const blue = await mint('alpha-member', Role.ROLE_BLUE, alpha);
  const alphaCaptain = await mint('alpha-captain', Role.ROLE_BLUE, alpha);
  const runner = await mint('runner-1', Role.ROLE_CHECK_RUNNER);
  const scheduler = await mint('scheduler', Role.ROLE_SCHEDULER);
  const scoring = createPromiseClient(ScoringServiceService, app.address, { token: runner.secret });

  const jobsApp = await JobsApp.start({ databaseUrl: database.url });
  const jobs = createPromiseClient(JobsServiceService, jobsApp.address, options);
  const competitions = createPromiseClient(CompetitionServiceService, app.address, options);

  const consoleApp = await ConsoleApp.start({
    scoringAddress: app.address,
    jobsAddress: jobsApp.address,
    staticDir: BUILT,
    jaegerUrl: 'http://jaeger.example:16686',
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  return {
    console: consoleApp,
    databaseUrl: database.url,
    browser,
    scoring,
    jobs,
    competitions,
    teams: { alpha, bravo },
    services,
    tokens: {
      admin,
      blue: blue.secret,
      alphaCaptain: alphaCaptain.secret,
      runner: runner.secret,
      scheduler: scheduler.secret,
    },
    revoke: async () => void (await tokenClient.revokeToken({ id: blue.id })),
    async stop() {
      await browser.close();
      await consoleApp.stop();
      for (const c of [scoring, adminClient, tokenClient, jobs, competitions]) c.close();
      await jobsApp.stop();
      await app.stop();
      await database.drop();
    },
  };
}
