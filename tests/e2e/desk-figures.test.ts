// Issue 16: the desk's figures strip in Chromium, for the city dispatcher and a town
// dispatcher on a fresh store. The numbers on screen are the server's figures of the seat's
// scope (history closures included) — before, the cache-only count read 结案率 0.0 %.
// Screenshots: test-results/e2e/desk-figures-city.png, desk-figures-town.png.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import type { ScopeFigures } from '../../src-shared/desk/figures';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { pickArea } from '../support/fixtures';
import { login, startTestServer, type TestServer } from '../support/server-client';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

describe('desk figures strip', () => {
  let t: TestServer;
  let browser: Browser;
  const hosts: StartedHost[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    if (logs.length > 0) console.log(logs.slice(0, 40).join('\n'));
    await browser?.close();
    for (const h of hosts) await h.stop();
    await t?.dispose();
  });

  const seats = (): Array<[string, string]> => [
    ['city', 'city.dispatcher'],
    ['town', `${pickArea(t.server, 2).townCode}.dispatcher`],
  ];

  it('shows the server’s figures of the seat’s scope, with the time they are as of', async () => {
    for (const [name, userName] of seats()) {
      const host = await startWebHost({
        rootDir: ROOT,
        serverUrl: t.server.url,
        dataDir: mkdtempSync(join(tmpdir(), `gc-e2e-figures-${name}-`)),
      });
      hosts.push(host);
      const context = await browser.newContext({ viewport: { width: 1500, height: 860 }, locale: 'zh-CN' });
      const page = await context.newPage();
      page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
      await page.goto(host.url);
      await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
      await page.getByTestId('login-user').fill(userName);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForSelector('[data-app-state="ready"]');
      await page.getByTestId('connection-status').filter({ hasText: '在线' }).waitFor({ timeout: 60_000 });
      await page.keyboard.press('Alt+2');
      await page.waitForSelector('[data-desk-state="ready"]', { timeout: 60_000 });
      await page.getByTestId('desk-figures-at').waitFor({ timeout: 30_000 });
      // what the server answers this seat (its own scope; the answer is kept 30 s, so it is the
      // one the console got)
      const token = await login(t.server, userName);
      const res = await fetch(`${t.server.url}/api/desk/figures`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const served = ((await res.json()) as { data: ScopeFigures }).data;
      const week = served.week;
      expect(served.scopeCode).toBe(name === 'city' ? t.server.ref.cityCode : userName.split('.')[0]);
      for (const rate of ['closureRate', 'onTimeClosureRate', 'reworkRate', 'onTimeDispatchRate'] as const) {
        const text = await page.getByTestId(`desk-figure-week-${rate}`).textContent();
        expect(text, `${name} ${rate}`).toContain(pct(week.rates[rate]));
      }
      if (name === 'city') {
        // the history's closures are counted: not the 0.0 % of a cache that holds open cases only
        expect(week.counts.dueForClosure).toBeGreaterThan(0);
        expect(week.rates.closureRate!).toBeGreaterThan(0.5);
      }
      expect(await page.getByTestId('desk-figures-at').textContent()).toMatch(/^截至 \d\d:\d\d$/);
      await page.screenshot({
        path: artifactPath(`desk-figures-${name}.png`),
        clip: { x: 0, y: 0, width: 1500, height: 260 },
      });
      await context.close();
    }
  }, 240_000);
});
