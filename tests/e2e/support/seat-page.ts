// One seat's console in Chromium: its own web host (data dir) against the test's dispatch server,
// logged in with the demo password and showing the case desk (Alt+2). Page errors and console
// errors are collected in `logs`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../../src-main/host/index';
import { DEMO_PASSWORD } from '../../../src-server/dataset/import-dataset';
import { ROOT } from './paths';

export interface SeatPage {
  page: Page;
  host: StartedHost;
  logs: string[];
  close(): Promise<void>;
}

export async function openSeatDesk(
  browser: Browser,
  serverUrl: string,
  userName: string,
  viewport = { width: 1500, height: 900 },
): Promise<SeatPage> {
  const host = await startWebHost({
    rootDir: ROOT,
    serverUrl,
    dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-seat-')),
  });
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('pageerror', (e) => logs.push(`[${userName} pageerror] ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && logs.push(`[${userName} console] ${m.text()}`));
  await page.goto(host.url);
  await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
  await page.getByTestId('login-user').fill(userName);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForSelector('[data-app-state="ready"]', { timeout: 60_000 });
  await page.getByTestId('connection-status').filter({ hasText: '在线' }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('Alt+2');
  await page.waitForSelector('[data-desk-state="ready"]', { timeout: 60_000 });
  return {
    page,
    host,
    logs,
    async close() {
      await context.close();
      await host.stop();
    },
  };
}
