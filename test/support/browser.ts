import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A page in its own context (one per user: no cookies or storage shared), whose page errors and
 * console.error lines are collected so the test can fail on them.
 */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Page errors and console.error messages seen so far. */
  errors: string[];
}

export async function openUserPage(browser: Browser, baseURL: string): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every non-2xx fetch as a console error; the UI's expected 401/403 answers
    // are checked by the test through what the page shows, not through this network log.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console.error: ${message.text()}`);
    }
  });
  return { context, page, errors };
}

/** Screenshots of one spec, in test-results/screenshots/<spec>/, emptied at creation. */
export class ScreenshotFolder {
  readonly path: string;
  private count = 0;

  constructor(spec: string) {
    this.path = resolve(join('test-results', 'screenshots', spec));
    rmSync(this.path, { recursive: true, force: true });
    mkdirSync(this.path, { recursive: true });
  }

  /** Numbered so the files sort in step order. */
  async take(page: Page, step: string): Promise<string> {
    this.count += 1;
    const file = join(this.path, `${String(this.count).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Runs one step of a spec, then its screenshot; a failing step leaves a `-failed` one. */
  async step(page: Page, step: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      await this.take(page, `${step}-failed`);
      throw error;
    }
    await this.take(page, step);
  }
}
