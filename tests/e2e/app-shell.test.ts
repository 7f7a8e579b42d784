// The console in Chromium through the web host, against a real dispatch server: the shell in
// Chinese, a seat logging in, its jurisdiction synced into the local cache and shown.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { pickArea } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe('app shell in Chromium through the web host', () => {
  let t: TestServer;
  let host: StartedHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestServer();
    host = await startWebHost({
      rootDir: ROOT,
      serverUrl: t.server.url,
      dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-console-')),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await t?.dispose();
  });

  it('refuses a visitor without the token', async () => {
    const res = await fetch(host.host.origin + '/');
    expect(res.status).toBe(401);
    const bad = await fetch(host.host.origin + '/?token=wrong');
    expect(bad.status).toBe(401);
  });

  it('shows the shell in Chinese, logs a seat in and shows its synced jurisdiction', async () => {
    await page.goto(host.url);
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('app-title').textContent()).toBe('网格指挥台');
    expect(await page.getByTestId('nav-map').textContent()).toBe('态势地图');
    expect(await page.getByTestId('nav-cases').textContent()).toBe('事件台');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByTestId('clock').textContent()).toMatch(
      /北京时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/,
    );
    await page.screenshot({ path: artifactPath('login-zh.png') });

    const area = pickArea(t.server, 1);
    const user = `${area.a.villageCode}.operator`;
    // A wrong password is refused with a clear message.
    await page.getByTestId('login-user').fill(user);
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    // Issue 18 #10: said in Chinese by its code, not the server's English.
    await expect
      .poll(() => page.getByTestId('login-error').textContent(), { timeout: 15_000 })
      .toBe('账号或密码错误。');
    expect(await page.getByTestId('login-error').getAttribute('data-code')).toBe('UNAUTHORIZED');
    // The right one opens the seat; its village arrives in the local cache.
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('[data-app-state="ready"]');
    const seat = t.server.seats.byUserName(user)!;
    await expect
      .poll(() => page.getByTestId('seat-name').textContent(), { timeout: 20_000 })
      .toBe(seat.displayName);
    await expect
      .poll(() => page.getByTestId('connection-status').textContent(), { timeout: 20_000 })
      .toBe('在线');
    const grids = [...t.server.ref.grids.values()].filter((g) => g.villageCode === area.a.villageCode).length;
    await expect
      .poll(() => page.getByTestId('count-grids').textContent(), { timeout: 20_000 })
      .toBe(String(grids));
    const open = (
      t.server.db
        .prepare(
          "SELECT count(*) AS n FROM cases WHERE village_code = ? AND state NOT IN ('closed', 'voided')",
        )
        .get(area.a.villageCode) as { n: number }
    ).n;
    // The overview counts again at most every 2 s: the village's cases may come a sync page later.
    await expect
      .poll(() => page.getByTestId('count-open-cases').textContent(), { timeout: 20_000 })
      .toBe(String(open));
    // 网格员: the village's own grid officers, not the city-wide squads and department handlers
    // its snapshot also holds (those are counted apart).
    const officers = [...t.server.ref.officers.values()];
    const own = officers.filter((o) => o.kind === 'grid' && o.villageCode === area.a.villageCode).length;
    expect(await page.getByTestId('count-officers').textContent()).toBe(String(own));
    expect(Number(await page.getByTestId('count-handlers').textContent())).toBe(
      officers.filter(
        (o) => o.kind !== 'grid' && (o.townCode === null || o.villageCode === area.a.villageCode),
      ).length,
    );
    expect(await page.getByTestId('host-kind').textContent()).toBe('浏览器（本机 Web 主机）');
    await page.screenshot({ path: artifactPath('app-shell-zh.png') });

    // Keyboard: Alt+2 opens the case desk, Alt+L switches to English and back.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('view-cases').waitFor();
    await page.keyboard.press('Alt+L');
    expect(await page.getByTestId('app-title').textContent()).toBe('Grid Console');
    expect(await page.getByTestId('connection-status').textContent()).toBe('Online');
    await page.screenshot({ path: artifactPath('app-shell-en.png') });
    await page.keyboard.press('Alt+L');
    expect(await page.getByTestId('app-title').textContent()).toBe('网格指挥台');

    // A reload starts from the same seat without logging in again.
    await page.reload();
    await expect
      .poll(() => page.getByTestId('seat-name').textContent(), { timeout: 20_000 })
      .toBe(seat.displayName);
  });

  it('serves the renderer under a strict Content-Security-Policy', async () => {
    const res = await page.goto(host.host.origin + '/');
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });
});
