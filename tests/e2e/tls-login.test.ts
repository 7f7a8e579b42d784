// TLS at the login form (issue 14 §9): the console in Chromium through the web host, against a
// dispatch server serving HTTPS/WSS with a certificate made at test time. A console given
// another CA file is refused with 服务器证书不受信任 (and in English when switched), never an
// offline start; a console given the right CA file logs the seat in and goes online.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { pickArea } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { makeTestPki, type TestPki } from '../support/tls-certs';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe('login against a TLS dispatch server', () => {
  let pki: TestPki;
  let t: TestServer;
  let browser: Browser;
  const hosts: StartedHost[] = [];

  const hostWith = async (caFile: string): Promise<StartedHost> => {
    const host = await startWebHost({
      rootDir: ROOT,
      serverUrl: t.server.url,
      caFile,
      dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-tls-')),
    });
    hosts.push(host);
    return host;
  };

  const submit = async (page: Page, user: string): Promise<void> => {
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await page.getByTestId('login-user').fill(user);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
  };

  beforeAll(async () => {
    pki = makeTestPki();
    t = await startTestServer({ tls: { cert: pki.cert, key: pki.key } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const h of hosts) await h.stop();
    await t?.dispose();
    pki?.dispose();
  });

  it('a console with another CA file says the certificate is not trusted, in Chinese and English', async () => {
    const host = await hostWith(pki.otherCaFile);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
    const sessions = t.server.seats.sessionCount();
    await page.goto(host.url);
    await submit(page, 'city.dispatcher');
    await expect
      .poll(() => page.getByTestId('login-error').getAttribute('data-code'), { timeout: 20_000 })
      .toBe('SERVER_CERT_UNTRUSTED');
    expect(await page.getByTestId('login-error').textContent()).toMatch(/^服务器证书不受信任：/);
    await page.screenshot({ path: artifactPath('tls-untrusted-zh.png') });
    await page.getByTestId('lang-toggle').click();
    await expect
      .poll(() => page.getByTestId('login-error').textContent(), { timeout: 5_000 })
      .toMatch(/^Server certificate not trusted:/);
    await page.screenshot({ path: artifactPath('tls-untrusted-en.png') });
    // Still at the login form: no offline start, and the server opened no session.
    expect(await page.getByTestId('login-form').isVisible()).toBe(true);
    expect(await page.getByTestId('seat-name').textContent()).not.toBe(
      t.server.seats.byUserName('city.dispatcher')!.displayName,
    );
    expect(t.server.seats.sessionCount()).toBe(sessions);
    await page.close();
  });

  it('a console with the right CA file logs in over HTTPS and goes online over WSS', async () => {
    const host = await hostWith(pki.caFile);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
    const area = pickArea(t.server, 2);
    const user = `${area.a.villageCode}.operator`;
    await page.goto(host.url);
    await submit(page, user);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('seat-name').textContent(), { timeout: 20_000 })
      .toBe(t.server.seats.byUserName(user)!.displayName);
    await expect
      .poll(() => page.getByTestId('connection-status').textContent(), { timeout: 30_000 })
      .toBe('在线');
    await page.screenshot({ path: artifactPath('tls-online.png') });
    await page.close();
  });
});
