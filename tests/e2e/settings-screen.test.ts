// The settings screen (issue 19) in Chromium. Electron cannot run here, so the web host serves
// the built renderer with a ConsoleService whose settings port follows the shell's rules over
// the real settings module and a real file: the first-run screen in Chinese, a bad address
// refused with its reason, a good one saved to the file, then the form read-only (not admin).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CallError } from '../../src-main/app/call-router';
import { consoleService, type SettingsPort } from '../../src-main/app/console-service';
import { loadSettings, mayEditSettings, saveSettings } from '../../src-main/app/settings';
import { WebHost } from '../../src-main/host/web-host';
import type { SettingsView } from '../../src-shared/ipc/settings-view';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe('settings screen in Chromium', () => {
  let dir: string;
  let host: WebHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gc-e2e-settings-'));
    const userFile = join(dir, 'settings.json');
    let loaded = loadSettings({ userFile });
    const view = (): Promise<SettingsView> =>
      Promise.resolve({
        settings: { ...loaded.settings },
        managed: loaded.managed,
        deploymentFile: loaded.deploymentFile,
        firstRun: loaded.firstRun,
        canEdit: mayEditSettings(loaded.firstRun, null),
        problems: loaded.problems,
        keyStorage: {
          kind: 'aes-256-gcm/file-0600 (basic_text refused)',
          secure: false,
          note: 'Linux: no keyring — basic_text is not secure',
        },
        server: { url: null, reachable: null, demo: 'off', error: null },
      });
    const port: SettingsPort = {
      get: view,
      save: (input) => {
        if (!mayEditSettings(loaded.firstRun, null)) throw new CallError('FORBIDDEN', 'admin role only');
        const r = saveSettings(userFile, loaded, input);
        if (!r.ok) throw new CallError('BAD_REQUEST', r.message);
        loaded = loadSettings({ userFile });
        return view();
      },
      open: () => Promise.resolve(false),
    };
    host = new WebHost({
      rendererDir: join(ROOT, 'out/renderer'),
      handlers: consoleService({
        host: 'web',
        version: '1',
        platform: 'test',
        data: null,
        settings: port,
      }),
    });
    await host.start();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 900 }, locale: 'zh-CN' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first run: shows the setup screen, refuses a bad address, saves a good one, then is read-only', async () => {
    await page.goto(`${host.origin}/?window=settings&firstRun=1&token=${host.token}`);
    await page.getByTestId('first-run').waitFor({ timeout: 30_000 });
    expect(await page.locator('h2').first().textContent()).toBe('首次启动：设置本工作站');
    expect(await page.getByTestId('settings-key').textContent()).toContain('basic_text');
    await page.screenshot({ path: artifactPath('settings-first-run.png') });

    await page.getByTestId('settings-servers').fill('ftp://dispatch.example');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-error').waitFor();
    expect(await page.getByTestId('settings-error').textContent()).toMatch(/BAD_REQUEST/);

    await page
      .getByTestId('settings-servers')
      .fill('https://dispatch.example.gov.cn:7420\nhttp://10.1.2.3:7420');
    await page.getByTestId('settings-ca').fill('/etc/grid-console/ca.pem');
    await page.getByTestId('settings-name').fill('莞城指挥席 3');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-readonly').waitFor();
    const saved = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({
      servers: ['https://dispatch.example.gov.cn:7420', 'http://10.1.2.3:7420'],
      caFile: '/etc/grid-console/ca.pem',
      workstationName: '莞城指挥席 3',
      language: 'zh-CN',
    });
    expect(await page.getByTestId('first-run').count()).toBe(0);
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true);
    expect(await page.getByTestId('settings-servers').isDisabled()).toBe(true);
  });
});
