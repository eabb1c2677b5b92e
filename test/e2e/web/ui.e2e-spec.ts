import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Browser } from 'playwright-core';

import { launchChromium, openUserPage, ScreenshotFolder, WatchedPage } from '../../support/browser';
import { MODEL_FILES, replayAggregator } from '../../support/flops-aggregator';
import { ADMIN_AUTHORIZATION, AUTH_ENV, basicAuth } from '../../support/tenants';
import { createTestApp, TestApp } from '../../support/test-app';

const WEB_DIST = resolve('dist/apps/web');
const WEB_SOURCES = resolve('apps/web');
const PROJECT_ID = '65a1b2c3d4e5f60718293a4b';
const ALICE = { username: 'alice', password: 'first-User-passw0rd-here' };
const MODEL_NAME = 'alice-classifier';
const BOB = { username: 'bob', password: 'second-User-passw0rd-here' };

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The built UI, rebuilt when missing or older than its sources. */
function ensureWebBuild(): void {
  const built = existsSync(join(WEB_DIST, 'index.html')) ? newestMtime(WEB_DIST) : 0;
  if (built < newestMtime(WEB_SOURCES)) {
    execFileSync('npm', ['run', '-s', 'build:web'], { stdio: 'inherit' });
  }
}

describe('web UI in Chromium (auth on, SQLite)', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  const shots = new ScreenshotFolder('web-ui');
  const pages: WatchedPage[] = [];
  let experimentId: string;
  let lastRunId: string;

  const open = async (): Promise<WatchedPage> => {
    const watched = await openUserPage(browser, origin);
    pages.push(watched);
    return watched;
  };

  const signIn = async ({ page }: WatchedPage, user: { username: string; password: string }) => {
    await page.goto('/signin');
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByRole('heading', { name: 'FLOps projects' }).waitFor();
  };

  beforeAll(async () => {
    ensureWebBuild();
    t = await createTestApp('sqlite', {
      env: { ...AUTH_ENV, WEB_UI_ENABLED: 'true', WEB_UI_DIR: WEB_DIST },
    });
    await t.app.listen(0, '127.0.0.1');
    const address = t.app.getHttpServer().address() as { port: number };
    origin = `http://127.0.0.1:${address.port}`;
    for (const user of [ALICE, BOB]) {
      const res = await t.http
        .post('/api/2.0/mlflow/users/create')
        .set('Authorization', ADMIN_AUTHORIZATION)
        .send(user);
      expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 200 });
    }
    const replay = await replayAggregator(t.http, {
      projectId: PROJECT_ID,
      rounds: [0.9, 0.7, 0.55, 0.45, 0.4].map((loss, i) => ({ loss, accuracy: 0.5 + i * 0.1 })),
      authorization: basicAuth(ALICE.username, ALICE.password),
    });
    experimentId = replay.experimentId;
    lastRunId = replay.runIds[4];
    const aliceAuth = basicAuth(ALICE.username, ALICE.password);
    const model = await t.http
      .post('/api/2.0/mlflow/registered-models/create')
      .set('Authorization', aliceAuth)
      .send({ name: MODEL_NAME });
    expect(model.status).toBe(200);
    const version = await t.http
      .post('/api/2.0/mlflow/model-versions/create')
      .set('Authorization', aliceAuth)
      .send({
        name: MODEL_NAME,
        source: `runs:/${lastRunId}/logged_model_artifact`,
        run_id: lastRunId,
      });
    expect({ status: version.status, body: version.body as unknown }).toMatchObject({
      status: 200,
    });
    browser = await launchChromium();
    console.log(`screenshots: ${shots.path}`);
  }, 120_000);

  afterEach(() => {
    for (const { errors } of pages) expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("signs in and finds the project's five rounds, run and artifacts", async () => {
    const alice = await open();
    const { page } = alice;
    await shots.step(page, 'signin', async () => {
      await page.goto('/signin');
      await page.getByLabel('Username').waitFor();
    });
    await shots.step(page, 'projects-light', async () => {
      await signIn(alice, ALICE);
      await page.getByRole('row').filter({ hasText: PROJECT_ID }).waitFor();
    });
    await shots.step(page, 'project-rounds-light', async () => {
      await page.getByRole('link', { name: PROJECT_ID }).click();
      await page.getByRole('heading', { name: `Project ${PROJECT_ID}` }).waitFor();
      await page.getByRole('checkbox', { name: 'Select round 5' }).waitFor();
      expect(await page.getByRole('checkbox', { name: /^Select round \d+$/ }).count()).toBe(5);
    });
    await shots.step(page, 'project-charts-light', async () => {
      await page.getByRole('tab', { name: 'Charts' }).click();
      expect(new URL(page.url()).searchParams.get('tab')).toBe('charts');
      const caption = page.locator('figure figcaption').first();
      await caption.waitFor();
      expect(await caption.textContent()).toMatch(/\b5 points each/);
    });
    await shots.step(page, 'experiment-runs', async () => {
      await page.goto(`/experiments/${experimentId}`);
      await page
        .getByRole('link', { name: /round.*5/i })
        .first()
        .waitFor();
      expect(await page.getByRole('row').filter({ hasText: /round/i }).count()).toBe(5);
    });
    await shots.step(page, 'run-overview', async () => {
      await page.goto(`/experiments/${experimentId}/runs/${lastRunId}`);
      await page.getByRole('tab', { name: /artifacts/i }).waitFor();
    });
    await shots.step(page, 'artifact-preview', async () => {
      await page.getByRole('tab', { name: /artifacts/i }).click();
      await page.getByText('logged_model_artifact').click();
      await page.getByText('requirements.txt').first().click();
      await page.locator('pre').filter({ hasText: 'scikit-learn' }).waitFor();
    });
    await shots.step(page, 'artifact-downloaded', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page
          .getByRole('button', { name: /download/i })
          .first()
          .click(),
      ]);
      const bytes = readFileSync(await download.path());
      expect(bytes.toString()).toBe(MODEL_FILES['requirements.txt']);
    });
  });

  it('moves a model version to Production and sets an alias in the registry', async () => {
    const alice = await open();
    const { page } = alice;
    await signIn(alice, ALICE);
    await shots.step(page, 'registry-models', async () => {
      await page
        .getByRole('link', { name: /models/i })
        .first()
        .click();
      await page.getByRole('heading', { name: 'Registered models' }).waitFor();
      await page.getByRole('link', { name: MODEL_NAME }).click();
      await page.getByRole('heading', { name: MODEL_NAME }).waitFor();
    });
    await shots.step(page, 'registry-version-production', async () => {
      await page.getByRole('link', { name: 'v1', exact: true }).click();
      const stageForm = page.getByRole('form', { name: 'Change the stage' });
      await stageForm.getByLabel('Transition to').selectOption('Production');
      await stageForm.getByRole('button', { name: 'Move to Production' }).click();
      await stageForm.getByText('Current stage: Production').waitFor();
    });
    await shots.step(page, 'registry-version-alias', async () => {
      const aliasForm = page.getByRole('form', { name: 'Set an alias' });
      await aliasForm.getByLabel('Alias').fill('champion');
      await aliasForm.getByRole('button', { name: 'Set alias' }).click();
      await page.getByRole('list', { name: 'Aliases' }).getByText('@champion').waitFor();
    });
    const res = await t.http
      .get('/api/2.0/mlflow/registered-models/alias')
      .set('Authorization', basicAuth(ALICE.username, ALICE.password))
      .query({ name: MODEL_NAME, alias: 'champion' });
    expect(res.body).toMatchObject({
      model_version: { version: '1', current_stage: 'Production' },
    });
  });

  it('sends an anonymous visitor of a signed-in page to the sign-in page', async () => {
    const { page } = await open();
    await shots.step(page, 'anonymous-redirected-to-signin', async () => {
      await page.goto('/projects');
      await page.getByRole('heading', { name: /sign in/i }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/signin');
    });
  });

  it('switches theme and shows keyboard focus in the navigation', async () => {
    const alice = await open();
    const { page } = alice;
    await signIn(alice, ALICE);
    await shots.step(page, 'project-rounds-dark', async () => {
      const html = page.locator('html');
      const before = await html.getAttribute('data-theme');
      await page.getByRole('button', { name: /switch to (dark|light) theme/i }).click();
      expect(await html.getAttribute('data-theme')).not.toBe(before);
      await page.goto(`/projects/${experimentId}`);
      await page.getByRole('checkbox', { name: 'Select round 5' }).waitFor();
    });
    await shots.step(page, 'project-charts-dark', async () => {
      await page.getByRole('tab', { name: 'Charts' }).click();
      await page.locator('figure figcaption').first().waitFor();
    });
    await shots.step(page, 'keyboard-focus-nav', async () => {
      const focusInNav = page.getByRole('navigation', { name: 'Main' }).locator(':focus');
      let inNav = false;
      for (let i = 0; i < 10 && !inNav; i++) {
        await page.keyboard.press('Tab');
        inNav = (await focusInNav.count()) > 0;
      }
      expect(inNav).toBe(true);
      // A string, not a function: this project compiles without the DOM's types.
      const outline = await page.evaluate<{ style: string; width: number }>(
        `(() => { const s = getComputedStyle(document.activeElement);
          return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) }; })()`,
      );
      expect(outline.style).not.toBe('none');
      expect(outline.width).toBeGreaterThan(0);
    });
  });

  it("shows a second user none of the first user's data", async () => {
    const bob = await open();
    const { page } = bob;
    await shots.step(page, 'second-user-projects', async () => {
      await signIn(bob, BOB);
      await page.getByRole('columnheader', { name: 'Project' }).waitFor();
      expect(await page.getByRole('row').filter({ hasText: PROJECT_ID }).count()).toBe(0);
    });
    await shots.step(page, 'second-user-project-forbidden', async () => {
      await page.goto(`/projects/${experimentId}`);
      await page
        .getByText(/does not exist|permission|forbidden|not found/i)
        .first()
        .waitFor();
      expect(await page.getByRole('checkbox', { name: /^Select round/ }).count()).toBe(0);
    });
    await shots.step(page, 'second-user-forbidden', async () => {
      await page.goto(`/experiments/${experimentId}`);
      await page
        .getByText(/does not exist|permission|forbidden/i)
        .first()
        .waitFor();
      expect(await page.getByRole('link', { name: /round.*5/i }).count()).toBe(0);
    });
  });
});
