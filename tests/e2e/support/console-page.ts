// The set-up every console e2e file shares: a web host on a dispatch server, Debian's Chromium
// with one page on it (errors collected), a seat's login on the form, and the desk opened.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../../src-main/host/index';
import { DEMO_PASSWORD } from '../../../src-server/dataset/import-dataset';
import { launchChromium } from './browser';
import { ROOT } from './paths';

export interface ConsolePage {
  host: StartedHost;
  browser: Browser;
  page: Page;
  /** Page errors and console errors, printed by close(). */
  logs: string[];
  close(): Promise<void>;
}

export async function openConsolePage(opts: {
  serverUrl: string;
  /** Prefix of the web host's data directory (a fresh one under the system's temp dir). */
  dirPrefix: string;
  viewport?: { width: number; height: number };
  locale?: string;
  reducedMotion?: 'reduce' | 'no-preference';
}): Promise<ConsolePage> {
  const host = await startWebHost({
    rootDir: ROOT,
    serverUrl: opts.serverUrl,
    dataDir: mkdtempSync(join(tmpdir(), opts.dirPrefix)),
  });
  const browser = await launchChromium();
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1600, height: 900 },
    locale: opts.locale ?? 'zh-CN',
    ...(opts.reducedMotion ? { reducedMotion: opts.reducedMotion } : {}),
  });
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && logs.push(`[console] ${m.text()}`));
  await page.goto(host.url);
  return {
    host,
    browser,
    page,
    logs,
    close: async () => {
      if (logs.length > 0) console.log(logs.slice(0, 40).join('\n'));
      await browser.close();
      await host.stop();
    },
  };
}

/** Logs a seat in on the login form (demo password) and waits until the console is online. */
export async function loginSeat(page: Page, userName: string): Promise<void> {
  await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
  await page.getByTestId('login-user').fill(userName);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForSelector('[data-app-state="ready"]');
  await page
    .getByTestId('connection-status')
    .filter({ hasText: /在线|Online/ })
    .waitFor({ timeout: 30_000 });
}

/** Alt+2: the case desk, once its queue is loaded. */
export async function openDesk(page: Page): Promise<void> {
  await page.keyboard.press('Alt+2');
  await page.waitForSelector('[data-desk-state="ready"]', { timeout: 30_000 });
}

/**
 * What the console held for a case when a desk expectation failed: the worker's desk row and
 * connection state, and what the page showed (tabs, search, rows). Printed by the caller before
 * it rethrows, so a failure in CI says whether the change never reached the console's cache or
 * reached it and was not drawn.
 */
export async function deskDiagnosis(con: ConsolePage, caseId: string): Promise<string> {
  const data = con.host.data;
  const [row, link] = data
    ? await Promise.all([data.call('desk.rows', [caseId]), data.call('connection.state')])
    : [null, null];
  const page = con.page;
  const rows = page.getByTestId('desk-row');
  const ui = {
    tabs: await page.locator('[data-testid^="desk-tab-"][aria-selected="true"]').allTextContents(),
    search: await page.getByTestId('desk-search').inputValue(),
    rows: await Promise.all((await rows.all()).slice(0, 5).map((r) => r.getAttribute('data-case-id'))),
    link: await page.getByTestId('connection-status').allTextContents(),
  };
  return JSON.stringify({ worker: { row, link }, ui }).slice(0, 4000);
}
