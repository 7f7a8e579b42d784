import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe('app shell in Chromium through the web host', () => {
  let host: StartedHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    host = await startWebHost({ rootDir: ROOT });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('refuses a visitor without the token', async () => {
    const res = await fetch(host.host.origin + '/');
    expect(res.status).toBe(401);
    const bad = await fetch(host.host.origin + '/?token=wrong');
    expect(bad.status).toBe(401);
  });

  it('shows the shell in Chinese, talks to the host, and switches language', async () => {
    await page.goto(host.url);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
    expect(await page.getByTestId('app-title').textContent()).toBe('网格指挥台');
    expect(await page.getByTestId('nav-map').textContent()).toBe('态势地图');
    expect(await page.getByTestId('nav-cases').textContent()).toBe('事件台');
    // The host answered app.info over the bridge: the page knows it runs in the web host.
    expect(await page.getByTestId('host-kind').textContent()).toBe('浏览器（本机 Web 主机）');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    // Clock shows Beijing time as YYYY-MM-DD HH:mm:ss.
    expect(await page.getByTestId('clock').textContent()).toMatch(
      /北京时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/,
    );
    await page.screenshot({ path: artifactPath('app-shell-zh.png') });

    // Keyboard: Alt+2 opens the case desk, Alt+L switches to English.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('view-cases').waitFor();
    await page.keyboard.press('Alt+L');
    expect(await page.getByTestId('app-title').textContent()).toBe('Grid Console');
    await page.screenshot({ path: artifactPath('app-shell-en.png') });
    await page.keyboard.press('Alt+L');
    expect(await page.getByTestId('app-title').textContent()).toBe('网格指挥台');
  });

  it('serves the renderer under a strict Content-Security-Policy', async () => {
    const res = await page.goto(host.host.origin + '/');
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });
});
