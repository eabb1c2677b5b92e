import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

import { Browser, BrowserContext } from 'playwright-core';

import { launchChromium, openUserPage, ScreenshotFolder, WatchedPage } from '../../support/browser';
import { MODEL_FILES, replayAggregator } from '../../support/flops-aggregator';
import { ADMIN_AUTHORIZATION, AUTH_ENV, basicAuth } from '../../support/tenants';
import { createTestApp, TestApp } from '../../support/test-app';

const WEB_DIST = resolve('dist/apps/web');
const WEB_SOURCES = resolve('apps/web');
const PROJECT_ID = '65a1b2c3d4e5f60718293a4b';
const ALICE = { username: 'alice', password: 'first-User-passw0rd-here' };
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

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The built UI's files answered in the browser for every non-API path of the suite's origin
 * (index.html for client routes), until the suite serves them itself (branch web-server).
 */
async function serveWebBuild(context: BrowserContext, origin: string): Promise<void> {
  await context.route(
    (url) =>
      url.origin === origin && !/^\/(api|ajax-api)\/|^\/(health|version)$/.test(url.pathname),
    async (route) => {
      const { pathname } = new URL(route.request().url());
      const asset = pathname.startsWith('/assets/') ? join(WEB_DIST, pathname) : null;
      const file =
        asset && asset.startsWith(WEB_DIST + '/') && existsSync(asset)
          ? asset
          : join(WEB_DIST, 'index.html');
      await route.fulfill({
        status: 200,
        contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        body: readFileSync(file),
      });
    },
  );
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
    await serveWebBuild(watched.context, origin);
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
    t = await createTestApp('sqlite', { env: AUTH_ENV });
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
    await shots.step(page, 'experiment-runs-dark', async () => {
      const html = page.locator('html');
      const before = await html.getAttribute('data-theme');
      await page.getByRole('button', { name: /switch to (dark|light) theme/i }).click();
      expect(await html.getAttribute('data-theme')).not.toBe(before);
      await page.goto(`/experiments/${experimentId}`);
      await page
        .getByRole('link', { name: /round.*5/i })
        .first()
        .waitFor();
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
