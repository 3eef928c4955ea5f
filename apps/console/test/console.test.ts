import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceErrorKind, SlaModel } from '@checkwire/proto';
import { accessibilityViolations } from './accessibility.js';
import { startConsoleWorld, type ConsoleWorld } from './world.js';

// The console as its users meet it: a real scoring server, the console in front of it, and
// Debian's Chromium clicking through it. The screenshots the README shows are taken here.

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/console/', import.meta.url));
let world: ConsoleWorld;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  world = await startConsoleWorld();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
// Each test's pages are closed after it: their live streams end, and the next test starts clean.
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(() => world?.stop());

/** A fresh browser profile (its own cookies) on a laptop-sized window. */
async function newPage(): Promise<Page> {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  // Each wait is for readiness, bounded well inside the test's own time so a miss names its step.
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

async function signIn(page: Page, token: string, as: string): Promise<void> {
  await page.goto(`${world.console.address}/sign-in`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').filter({ hasText: as }).waitFor();
}

const cell = (page: Page, teamId: number, name: string) =>
  page.getByTestId(`cell-${teamId}-${name}`);

/** Waits until the page's live feed is open (its first event arrived). */
const live = (page: Page) => page.getByTestId('live').filter({ hasText: 'live' }).waitFor();

/** A new round, as the scheduler records one (milliseconds: JavaScript dates carry no finer). */
async function newRound(): Promise<Date> {
  const sql = new pg.Client({ connectionString: world.databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ started_at: Date }>(
      "INSERT INTO round (started_at) VALUES (date_trunc('milliseconds', clock_timestamp())) RETURNING started_at",
    );
    return rows[0]!.started_at;
  } finally {
    await sql.end();
  }
}

describe('the console in a browser', () => {
  it('a bad token gets a message saying so, and nothing is signed in', async () => {
    const page = await newPage();
    await page.goto(`${world.console.address}/sign-in`);
    await page.getByLabel('Token').fill('cw_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/that token was not accepted/);
    expect(await page.getByTestId('who').textContent()).toBe('public view');

    // A program's token is not for people: refused, saying which tokens are.
    await page.getByLabel('Token').fill(world.tokens.runner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'check_runner token' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /sign in with an admin, blue, red or green team token/,
    );
  });

  it('the white team sees a spinner appear while a check runs and go at done, without a reload', async () => {
    const page = await newPage();
    await signIn(page, world.tokens.admin, 'white team');
    await page.getByRole('link', { name: 'Service status' }).click();
    await live(page);
    const www = cell(page, world.teams.alpha, 'www');
    expect(await www.getAttribute('data-state')).toBe('pending');
    expect(await www.getByTestId('spinner').count()).toBe(0);

    const loaded = page.url();
    const called = Date.now();
    await world.scoring.insertServiceScoreInProgress({ serviceId: world.services.alphaWww });
    await www.getByTestId('spinner').waitFor({ state: 'visible' });
    // A figure for the closing note, not a threshold (these machines vary 4x from day to day).
    console.log(
      `spinner shown ${Date.now() - called} ms after InsertServiceScoreInProgress was called`,
    );

    const { score } = await world.scoring.insertServiceScore({
      serviceId: world.services.alphaWww,
      result: 0,
      errorMsg: 'connection refused on port 80',
    });
    await world.scoring.reportServiceError({
      scoreId: score!.id,
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_CONNECTION,
      message: 'connection refused',
      detail: 'connect ECONNREFUSED 10.0.1.5:80',
    });
    // Still running: the spinner stays until done.
    expect(await www.getByTestId('spinner').count()).toBe(1);
    await world.scoring.insertServiceScoreDone({ serviceId: world.services.alphaWww });
    await www.getByTestId('spinner').waitFor({ state: 'detached' });
    await page
      .locator(`[data-testid="cell-${world.teams.alpha}-www"][data-state="error"]`)
      .waitFor();
    expect(page.url()).toBe(loaded);

    // Another check under way, a healthy one done, and one that earned part of its points (4 of
    // mail's cap of 10), for the README's picture.
    await world.scoring.insertServiceScore({ serviceId: world.services.bravoWww, result: 1 });
    await world.scoring.insertServiceScore({ serviceId: world.services.bravoMail, result: 4 });
    await world.scoring.insertServiceScoreInProgress({ serviceId: world.services.alphaDb });
    await cell(page, world.teams.alpha, 'db').getByTestId('spinner').waitFor();
    await page.locator(`[data-testid="cell-${world.teams.bravo}-www"][data-state="up"]`).waitFor();
    const mail = page.locator(
      `[data-testid="cell-${world.teams.bravo}-mail"][data-state="partial"]`,
    );
    await mail.waitFor();
    // Told apart by its words, not its colour alone.
    expect(await mail.getByRole('link').textContent()).toBe('partial');
    expect(await mail.textContent()).toMatch(/^partial4\/10 · /);
    await page.screenshot({ path: `${SCREENSHOTS}status.png` });
    await world.scoring.insertServiceScoreDone({ serviceId: world.services.alphaDb });
    await cell(page, world.teams.alpha, 'db').getByTestId('spinner').waitFor({ state: 'detached' });
  });

  it('the white team lists errors, filters them, and follows one to its trace', async () => {
    const { score } = await world.scoring.insertServiceScore({
      serviceId: world.services.bravoVault,
      result: 0,
      errorMsg: 'no banner within 10 s',
    });
    await world.scoring.reportServiceError({
      scoreId: score!.id,
      kind: ServiceErrorKind.SERVICE_ERROR_KIND_TIMEOUT,
      message: 'no SSH banner within 10 s',
      detail: 'read 0 bytes from 10.0.2.22:22',
    });
    const page = await newPage();
    await signIn(page, world.tokens.admin, 'white team');
    await page.getByRole('link', { name: 'Errors' }).click();
    const rows = page.getByTestId('error-row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    // Newest first, each with its team, service, kind, message and detail.
    // (Team names arrive in a second request: wait for them.)
    await expect
      .poll(() => rows.nth(0).textContent())
      .toMatch(/Bravo.*vault.*SSH.*timeout.*no SSH banner within 10 s.*read 0 bytes/);
    await expect
      .poll(() => rows.nth(1).textContent())
      .toMatch(/Alpha.*www.*HTTP.*connection.*connection refused.*ECONNREFUSED/);
    // The first error came from a check run: it links to that check's trace in Jaeger.
    const trace = rows.nth(1).getByRole('link', { name: /…$/ });
    expect(await trace.getAttribute('href')).toMatch(
      /^http:\/\/jaeger\.example:16686\/trace\/[0-9a-f]{32}$/,
    );
    await page.screenshot({ path: `${SCREENSHOTS}errors.png` });

    await page.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'timeout' }).click();
    await page.waitForURL(/kind=timeout/);
    await rows.nth(1).waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(1);
    expect(await rows.nth(0).textContent()).toMatch(/vault/);

    // From the status grid to a service's page: its recent checks on a timeline, and its errors.
    await page.getByRole('link', { name: 'Service status' }).click();
    await page.getByRole('link', { name: 'www: error (open its page)' }).first().click();
    await page.getByTestId('check-row').first().waitFor();
    expect(await page.getByTestId('check-row').first().textContent()).toMatch(
      /down.*connection refused on port 80/,
    );
    expect(await page.getByTestId('service-error').first().textContent()).toMatch(
      /connection.*connection refused.*ECONNREFUSED/,
    );
    await page
      .getByRole('img', { name: 'recent results, oldest first' })
      .locator('svg')
      .first()
      .waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}service.png` });

    // A filter the API refuses is said in words, on the page.
    await page.goto(`${world.console.address}/errors?since=yesterday`);
    await page.getByRole('alert').filter({ hasText: 'since: expected a time such as' }).waitFor();
  });

  it('a blue team sees its own and public services, never another team’s hidden one or any error text', async () => {
    const page = await newPage();
    await signIn(page, world.tokens.blue, 'blue team');
    await page.getByRole('link', { name: 'Service status' }).click();
    await live(page);
    await cell(page, world.teams.alpha, 'www').waitFor();
    expect(await cell(page, world.teams.alpha, 'db').count()).toBe(1);
    expect(await cell(page, world.teams.bravo, 'www').count()).toBe(1);
    expect(await cell(page, world.teams.bravo, 'vault').count()).toBe(0);
    // Its own service failed with an error: the team sees it down, not why.
    expect(await cell(page, world.teams.alpha, 'www').getAttribute('data-state')).toBe('down');
    const text = await page.locator('body').textContent();
    expect(text).not.toMatch(/connection refused|banner|vault/);

    expect(await page.getByRole('link', { name: 'Errors' }).count()).toBe(0);
    const refused = await page.evaluate(async () => {
      const r = await fetch('/api/errors');
      return { status: r.status, body: (await r.json()) as { error: string } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/admin/);

    // A live update reaches the blue team too, still without the error's words.
    await world.scoring.insertServiceScoreInProgress({ serviceId: world.services.alphaWww });
    await cell(page, world.teams.alpha, 'www').getByTestId('spinner').waitFor();
    await world.scoring.insertServiceScoreDone({ serviceId: world.services.alphaWww });
    await cell(page, world.teams.alpha, 'www')
      .getByTestId('spinner')
      .waitFor({ state: 'detached' });
  });

  it('a revoked token signs its browser out with a message', async () => {
    const page = await newPage();
    await signIn(page, world.tokens.blue, 'blue team');
    await world.revoke('blue');
    // The next thing the page asks for is refused: it says so and shows the public view.
    await page.getByRole('link', { name: 'Scoreboard' }).click();
    const notice = page.getByRole('alert').filter({ hasText: 'You were signed out' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/revoked/);
    await page.getByTestId('who').filter({ hasText: 'public view' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session).toMatchObject({ signedIn: false, role: 'public' });
  });

  it('the white team reads a LimaCharlie job live: tables, hex dumps, JSON and YAML as people read them', async () => {
    const { job } = await world.jobs.createJob({
      id: '',
      oid: 'org-7f3a',
      serviceName: 'example',
      cause: 'suspicious binary on two sensors',
      sensorIds: ['sensor-1', 'sensor-2'],
    });
    await world.jobs.narrateJob({
      jobId: job!.id,
      message: 'collected what the sensors saw',
      important: true,
      attachments: [
        {
          caption: 'processes',
          content: {
            $case: 'table',
            value: {
              headers: ['pid', 'name'],
              rows: [{ cells: ['4242', 'evil.exe'] }, { cells: ['7', 'init'] }],
            },
          },
        },
        {
          caption: 'first bytes',
          content: {
            $case: 'hexDump',
            value: {
              data: Buffer.concat([
                Buffer.from([0x4d, 0x5a, 0x90, 0x00]),
                Buffer.from('Hello, world!\n'),
                Buffer.from([0x00, 0xff]),
              ]),
            },
          },
        },
        {
          caption: 'event',
          content: {
            $case: 'json',
            value: { text: '{\n  "event": "NEW_PROCESS",\n  "pid": 4242\n}' },
          },
        },
        {
          caption: 'rule',
          content: {
            $case: 'yaml',
            value: { text: 'op: is\npath: event/FILE_PATH\nvalue: evil.exe\n' },
          },
        },
      ],
    });
    const page = await newPage();
    await signIn(page, world.tokens.admin, 'white team');
    await page.getByRole('link', { name: 'LC jobs' }).click();
    await page.getByTestId('job-row').first().waitFor();
    expect(await page.getByTestId('job-row').first().textContent()).toMatch(
      /org-7f3a.*example.*suspicious binary on two sensors.*2.*open/,
    );
    await page.getByTestId('job-row').first().getByRole('link').click();
    await page.getByTestId('narration').first().waitFor();

    const attachment = (kind: string) =>
      page.locator(`[data-testid="attachment"][data-kind="${kind}"]`);
    // A table as a table.
    expect(await attachment('table').locator('th').allTextContents()).toEqual(['pid', 'name']);
    expect(
      await attachment('table').locator('tbody tr').first().locator('td').allTextContents(),
    ).toEqual(['4242', 'evil.exe']);
    // Bytes as offset, hex and ASCII.
    expect(await attachment('hex').locator('pre').textContent()).toBe(
      '00000000  4d 5a 90 00 48 65 6c 6c  6f 2c 20 77 6f 72 6c 64  |MZ..Hello, world|\n' +
        '00000010  21 0a 00 ff                                       |!...|',
    );
    // JSON and YAML highlighted: keys and values marked up, the text unchanged.
    expect(await attachment('json').locator('code').textContent()).toBe(
      '{\n  "event": "NEW_PROCESS",\n  "pid": 4242\n}',
    );
    expect(await attachment('json').locator('.hljs-attr').allTextContents()).toEqual([
      '"event"',
      '"pid"',
    ]);
    expect(await attachment('yaml').locator('.hljs-attr').allTextContents()).toEqual([
      'op:',
      'path:',
      'value:',
    ]);

    // Live while open: a new entry and the close arrive without a reload.
    await world.jobs.narrateJob({
      jobId: job!.id,
      message: 'quarantined evil.exe',
      attachments: [],
      important: false,
    });
    await page.getByTestId('narration').filter({ hasText: 'quarantined evil.exe' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}job.png`, fullPage: true });
    await world.jobs.closeJob({ jobId: job!.id });
    await page.getByTestId('job-state').filter({ hasText: 'closed' }).waitFor();

    // A job id that is not one is refused in words.
    await page.goto(`${world.console.address}/jobs/not-a-job`);
    await page.getByRole('alert').filter({ hasText: 'job: expected a job id (a UUID)' }).waitFor();
  });

  it('the public sees public services and the scoreboard without signing in', async () => {
    // Rounds as the scheduler records them, and a score per service in each (in the round under
    // way, as a check runner's scores count).
    for (let round = 1; round <= 6; round++) {
      await newRound();
      await world.scoring.insertServiceScores({
        entries: [
          { serviceId: world.services.alphaWww, result: round % 3 === 0 ? 0 : 1 },
          { serviceId: world.services.alphaDb, result: 1 },
          { serviceId: world.services.bravoWww, result: round > 2 ? 1 : 0 },
          { serviceId: world.services.bravoVault, result: round % 2 },
        ],
      });
    }
    const page = await newPage();
    await page.goto(`${world.console.address}/status`);
    await live(page);
    await cell(page, world.teams.alpha, 'www').waitFor();
    expect(await cell(page, world.teams.bravo, 'www').count()).toBe(1);
    expect(await cell(page, world.teams.alpha, 'db').count()).toBe(0);
    expect(await cell(page, world.teams.bravo, 'vault').count()).toBe(0);

    await page.getByRole('link', { name: 'Scoreboard' }).click();
    await page.getByText('6 rounds').waitFor();
    const alpha = page.getByTestId(`standing-${world.teams.alpha}`);
    const bravo = page.getByTestId(`standing-${world.teams.bravo}`);
    // Alpha: www up in 4 rounds, db in 6 (100 points each); Bravo: www in 4, vault in 3.
    expect(await alpha.textContent()).toMatch(/^1Alpha1000/);
    expect(await bravo.textContent()).toMatch(/^2Bravo700/);
    // The public is shown public services only, even in per-service points.
    expect(await page.getByRole('columnheader', { name: 'vault' }).count()).toBe(0);
    // A service's points, and the word for its latest round when it was not up.
    const points = (teamId: number, name: string) =>
      page.getByTestId(`points-${teamId}-${name}`).textContent();
    expect(await points(world.teams.alpha, 'www')).toBe('400 down');
    expect(await points(world.teams.bravo, 'www')).toBe('400');
    await page
      .getByRole('img', { name: 'points per round, by team' })
      .locator('svg')
      .first()
      .waitFor();
  });

  it('the scoreboard is live: a partial result and SLA penalties show without a reload, and the white team re-scores a round from the page', async () => {
    // From now on a failed round costs 10 points (the competition file's rule, threshold 1).
    const { competition } = await world.competitions.exportCompetition({});
    const sla = { model: SlaModel.SLA_MODEL_FLAT, threshold: 1, penalty: 10, growth: 0 };
    await world.competitions.applyCompetition({
      competition: { ...competition!, sla: { ...sla, maxPenalty: 0 } },
    });

    const page = await newPage();
    await signIn(page, world.tokens.admin, 'white team');
    await page.getByRole('link', { name: 'Scoreboard' }).click();
    await live(page);
    await page.getByText('6 rounds').waitFor();
    // A mark on this document: a reload would lose it.
    await page.evaluate('window.sameDocument = true');
    const alpha = page.getByTestId(`standing-${world.teams.alpha}`);
    const bravo = page.getByTestId(`standing-${world.teams.bravo}`);
    expect(await alpha.textContent()).toMatch(/^1Alpha1000/);
    expect(await alpha.textContent()).not.toContain('SLA');
    const points = (teamId: number, name: string) =>
      page.getByTestId(`points-${teamId}-${name}`).textContent();

    // Round 7: Alpha's www fails again (10 points off), Bravo's mail earns 4 of its cap of 10.
    const at = await newRound();
    const entry = (serviceId: number, result: number) => ({
      serviceId,
      result,
      requestId: `${serviceId}@${at.toISOString()}`,
      roundTime: at,
    });
    await world.scoring.finishServiceChecks({
      entries: [
        entry(world.services.alphaWww, 0),
        entry(world.services.alphaDb, 1),
        entry(world.services.bravoWww, 1),
        entry(world.services.bravoVault, 1),
        entry(world.services.bravoMail, 4),
      ],
    });
    await page.getByText('7 rounds').waitFor();
    // 1000 + 100 (db) − 10 (www's penalty); 700 + 100 + 100 + 40 (mail: 4/10 of 100).
    await alpha.filter({ hasText: /^1Alpha1090 \(−10 SLA\)/ }).waitFor();
    await bravo.filter({ hasText: /^2Bravo940/ }).waitFor();
    expect(await points(world.teams.alpha, 'www')).toBe('390 down');
    expect(await points(world.teams.bravo, 'mail')).toBe('40 partial');
    expect(await points(world.teams.bravo, 'www')).toBe('500');
    expect(await page.evaluate('window.sameDocument')).toBe(true);

    // Round 6 was scored before the rule: the white team counts it again under it.
    await page.getByRole('combobox', { name: 'Round' }).click();
    expect(await page.getByRole('option').first().textContent()).toMatch(
      /^round 7 · \d\d:\d\d:\d\d$/,
    );
    await page.getByRole('option', { name: /^round 6 · / }).click();
    await page.getByLabel('Reason for re-scoring').fill('the SLA rule applies from round 6');
    await page.getByRole('button', { name: 'Re-score round' }).click();
    // Both teams failed a service in round 6 (Alpha's www, Bravo's vault).
    await page
      .getByTestId('rescore-result')
      .filter({
        hasText: '2 teams changed: Alpha 100 → 90, Bravo 100 → 90 (4 services counted again).',
      })
      .waitFor();
    // The board follows by itself.
    await alpha.filter({ hasText: /^1Alpha1080 \(−20 SLA\)/ }).waitFor();
    await bravo.filter({ hasText: /^2Bravo930 \(−10 SLA\)/ }).waitFor();
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    await page
      .getByRole('img', { name: 'points per round, by team' })
      .locator('svg')
      .first()
      .waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // From the top: the page's header is fixed, and would be drawn where the window scrolled to.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SCREENSHOTS}scoreboard.png`, fullPage: true });

    // A refusal is said in the server's words.
    await page.getByRole('combobox', { name: 'Round' }).click();
    await page.getByRole('option', { name: /^round 5 · / }).click();
    await page.getByRole('button', { name: 'Re-score round' }).click();
    await page.getByRole('alert').filter({ hasText: 'reason: must not be empty' }).waitFor();

    // On the record.
    await page.getByRole('link', { name: 'Audit' }).click();
    await page
      .getByTestId('audit-row')
      .filter({ hasText: 'rescore_round' })
      .filter({ hasText: 'the SLA rule applies from round 6' })
      .waitFor();
  });

  it('the white team edits a service and manages tokens, each write checked by the scoring server', async () => {
    const page = await newPage();
    await signIn(page, world.tokens.admin, 'white team');
    await page.getByRole('link', { name: 'Services' }).click();
    const bravoWww = page.getByTestId(`service-${world.services.bravoWww}`);
    await bravoWww.waitFor();

    // A value the server refuses is shown, and nothing is saved.
    await page.getByRole('button', { name: 'Edit www of Bravo' }).click();
    await page.getByLabel('Subtype').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'subtype' });
    await refused.waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Held down with a reason: the Service Status page shows it at once.
    await page.getByRole('button', { name: 'Edit www of Bravo' }).click();
    await page.getByLabel('Administratively down (refuses scores)').check();
    await page.getByLabel('Down reason').fill('maintenance window');
    await page.getByRole('button', { name: 'Save' }).click();
    await bravoWww.filter({ hasText: 'admin down: maintenance window' }).waitFor();
    expect(await bravoWww.textContent()).toMatch(/HTTP/);
    await page.getByRole('link', { name: 'Service status' }).click();
    await page
      .locator(`[data-testid="cell-${world.teams.bravo}-www"][data-state="admin-down"]`)
      .waitFor();

    // A token for a new Bravo member: its secret shown once, and it signs in.
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByLabel('Name').fill('bravo-member');
    await page.getByRole('combobox', { name: 'Team' }).click();
    await page.getByRole('option', { name: 'Bravo' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-secret').textContent())!;
    expect(secret).toMatch(/^cw_/);
    await page.screenshot({ path: `${SCREENSHOTS}tokens.png` });
    const member = await newPage();
    await signIn(member, secret, 'blue team');
    expect(await member.getByTestId('who').textContent()).toBe('bravo-member (blue team)');

    // Revoked: gone from the list of live tokens, shown as revoked on asking.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke bravo-member' }).click();
    await page.getByTestId('token-bravo-member').waitFor({ state: 'detached' });
    await page.getByLabel('Show revoked tokens').check();
    await page.getByTestId('token-bravo-member').filter({ hasText: 'revoked' }).waitFor();
  });

  it('runs the event: a blue team asks for a password change, the white team approves it and adjusts points, all in the audit log', async () => {
    const captain = await newPage();
    await signIn(captain, world.tokens.alphaCaptain, 'blue team');
    await captain.getByRole('link', { name: 'Password changes' }).click();
    await captain.getByRole('combobox', { name: 'Service' }).click();
    // Only the team's own services are offered.
    expect(await captain.getByRole('option').allTextContents()).toEqual(['www', 'db']);
    await captain.getByRole('option', { name: 'www' }).click();
    await captain.getByLabel('Username').fill('admin');
    await captain.getByLabel('New password').fill('Tr0ub4dor&3');
    await captain.getByRole('button', { name: 'Request change' }).click();
    await captain.getByText('Requested: admin on www').waitFor();
    const own = captain.locator('[data-testid^="pcr-"]');
    await own.first().filter({ hasText: 'pending' }).waitFor();
    expect(await captain.locator('body').textContent()).not.toContain('Tr0ub4dor&3');

    const white = await newPage();
    await signIn(white, world.tokens.admin, 'white team');
    await white.getByRole('link', { name: 'Password changes' }).click();
    const request = white.locator('[data-testid^="pcr-"]').filter({ hasText: 'Alpha' });
    await request.filter({ hasText: 'pending' }).waitFor();
    // Rejecting needs a reason: the server's words are shown.
    await request.getByRole('button', { name: 'Reject' }).click();
    await white.getByRole('alert').filter({ hasText: 'reason' }).waitFor();
    await request.getByRole('textbox').fill('checked with the team by phone');
    await request.getByRole('button', { name: 'Approve' }).click();
    await request.filter({ hasText: 'applied' }).waitFor();

    // A round's result turned the other way from the service's page, with a reason.
    await white.goto(`${world.console.address}/service/${world.services.alphaWww}`);
    await white
      .getByLabel('Reason for flipping a round’s result')
      .fill('the checker was misconfigured');
    await white
      .getByRole('button', { name: /^Flip the round of / })
      .first()
      .click();
    await white.getByText(/now counts as (up|down) \(\d+ points\)/).waitFor();

    await white.getByRole('link', { name: 'Audit' }).click();
    await white.getByRole('combobox', { name: 'Team' }).click();
    await white.getByRole('option', { name: 'Alpha' }).click();
    await white.getByLabel('Points (+ or −)').fill('50');
    await white.getByLabel('Reason').fill('first to patch the web server');
    await white.getByRole('button', { name: 'Adjust points' }).click();
    const rows = white.getByTestId('audit-row');
    await rows.filter({ hasText: 'first to patch the web server' }).waitFor();
    await rows.filter({ hasText: 'checked with the team by phone' }).waitFor();
    await rows
      .filter({ hasText: 'flip_check_result' })
      .filter({ hasText: 'misconfigured' })
      .waitFor();
    // The service edit of the test before, with who made it.
    await rows
      .filter({ hasText: 'update_service' })
      .filter({ hasText: 'maintenance window' })
      .waitFor();
    await white.screenshot({ path: `${SCREENSHOTS}audit.png` });

    await white.getByRole('link', { name: 'Scoreboard' }).click();
    await white
      .getByTestId(`standing-${world.teams.alpha}`)
      .filter({ hasText: '(+50 adjusted)' })
      .waitFor();
  });

  it('the white team renames a team and keeps credential pools, never seeing a password', async () => {
    const page = await newPage();
    await signIn(page, world.tokens.admin, 'white team');
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByLabel('New pool name').fill('web-logins');
    await page
      .getByLabel('Credentials', { exact: true })
      .fill('admin:s3cret-1\nops:pass:with:colons');
    await page.getByRole('button', { name: 'Create pool' }).click();
    const pool = page.getByTestId('pool-web-logins');
    await pool.filter({ hasText: '2 credentials: admin, ops' }).waitFor();
    await page.getByLabel('New credentials for web-logins').fill('root:toor');
    await page.getByRole('button', { name: 'Replace credentials' }).click();
    await pool.filter({ hasText: '1 credentials: root' }).waitFor();
    expect(await page.locator('body').textContent()).not.toMatch(/s3cret|pass:with|toor/);

    await page.getByLabel(`Name of team ${world.teams.bravo}`).fill('Bravo Squad');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByText(`Team ${world.teams.bravo} renamed`).waitFor();
    await page.getByRole('link', { name: 'Scoreboard' }).click();
    await page
      .getByTestId(`standing-${world.teams.bravo}`)
      .filter({ hasText: 'Bravo Squad' })
      .waitFor();
  });

  it('works from the keyboard, and every page passes an automated WCAG 2 AA audit (names, labels, contrast)', async () => {
    const page = await newPage();
    await page.goto(`${world.console.address}/sign-in`);
    // The loading state is audited as much as the form (it once named a span with no role).
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Token').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // The token field has the focus; Enter signs in.
    await page.keyboard.type(world.tokens.admin);
    await page.keyboard.press('Enter');
    await page.getByTestId('who').filter({ hasText: 'white team' }).waitFor();

    const pages: [string, () => Promise<unknown>][] = [
      ['/status', () => live(page)],
      ['/scoreboard', () => page.getByTestId(`standing-${world.teams.alpha}`).waitFor()],
      ['/errors', () => page.getByTestId('error-row').first().waitFor()],
      ['/jobs', () => page.getByTestId('job-row').first().waitFor()],
      ['/services', () => page.getByTestId(`service-${world.services.alphaWww}`).waitFor()],
      ['/tokens', () => page.getByRole('table', { name: 'tokens' }).waitFor()],
      ['/teams', () => page.getByTestId('pool-web-logins').waitFor()],
      ['/audit', () => page.getByTestId('audit-row').first().waitFor()],
      ['/password-changes', () => page.locator('[data-testid^="pcr-"]').first().waitFor()],
      [
        `/service/${world.services.alphaWww}`,
        () => page.getByTestId('check-row').first().waitFor(),
      ],
    ];
    const found: Record<string, string[]> = {};
    for (const [path, ready] of pages) {
      await page.goto(`${world.console.address}${path}`);
      await ready();
      const violations = await accessibilityViolations(page);
      if (violations.length > 0) found[path] = violations;
    }
    expect(found).toEqual({});
  });
});
