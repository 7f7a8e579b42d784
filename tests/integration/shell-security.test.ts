// The Electron shell driven with a faked `electron` (issue 14 and 19): every window's
// webPreferences; IPC answered only for our own main frame at exactly app://console; navigation
// and new windows blocked; app:// confined to the renderer folder (.., encodings, symlinks);
// openExternal only for allow-listed https hosts; permission request AND check handlers; the
// Linux basic_text keyring treated as not secure; first run opens the settings window.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fake, invoke, resetFakeElectron } from '../support/fake-electron';

vi.mock('electron', async () => (await import('../support/fake-electron')).electron);

const { startShell } = await import('../../src-main/electron/shell');
const { WEB_PREFERENCES } = await import('../../src-main/electron/window-manager');
const { defaultLayout } = await import('../../src-main/app/window-layout');
type Shell = ReturnType<typeof startShell>;
/** The windows the default layout opens on the fake's one monitor (map wall, desk, video wall). */
const DEFAULT_KINDS = defaultLayout(fake.state.displays)
  .map((p) => p.kind as string)
  .sort();

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let userData: string;
let rendererDir: string;
let shell: Shell | null = null;

function start(argv: string[] = [], probe = (): Promise<boolean> => Promise.resolve(false)): Shell {
  shell = startShell({
    preload: '/opt/grid-console/resources/app.asar/out/preload/index.cjs',
    rendererDir,
    workerFile: join(ROOT, 'src-main/data/data-worker.ts'),
    demoEntry: join(ROOT, 'scripts/demo-server-process.ts'),
    demoResources: join(ROOT, 'resources/demo'),
    deploymentFiles: [join(dir, 'etc-settings.json')],
    argv,
    env: {},
    probe,
    log: () => undefined,
  });
  return shell;
}

const windowsNow = (): FakeBrowserWindow[] => FakeBrowserWindow.getAllWindows();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gc-shell-'));
  userData = join(dir, 'userData');
  rendererDir = join(dir, 'out/renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  mkdirSync(userData, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>网格指挥台</title>');
  writeFileSync(join(rendererDir, 'assets/app.js'), 'console.log("app")');
  writeFileSync(join(dir, 'out/secret.txt'), 'SECRET-OUTSIDE');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET-OUTSIDE');
  resetFakeElectron(userData);
});

afterEach(async () => {
  await shell?.quit();
  shell = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A configured workstation (a server that does not answer: the console starts offline). */
function configured(extra: Record<string, unknown> = {}): void {
  writeFileSync(
    join(userData, 'settings.json'),
    JSON.stringify({ version: 1, servers: ['http://127.0.0.1:9'], externalHosts: ['www.gov.cn'], ...extra }),
  );
}

describe('Electron shell (faked electron)', () => {
  it('gives every window isolated, sandboxed, Node-less webPreferences and loads app://console', async () => {
    configured();
    const s = start();
    await s.ready;
    const wins = windowsNow();
    expect(wins.map((w) => new URL(w.url).searchParams.get('window')).sort()).toEqual(DEFAULT_KINDS);
    for (const w of wins) {
      const prefs = w.options.webPreferences;
      expect(prefs).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        preload: '/opt/grid-console/resources/app.asar/out/preload/index.cjs',
      });
      expect(prefs).toEqual({ ...WEB_PREFERENCES, preload: prefs.preload });
      expect(w.url.startsWith('app://console/index.html?window=')).toBe(true);
    }
    expect(fake.state.sandboxEnabled).toBe(true);
    expect(fake.state.privilegedSchemes).toMatchObject([
      { scheme: 'app', privileges: { standard: true, secure: true } },
    ]);
    // file: is not intercepted any more; only app:// is handled.
    expect([...fake.state.protocolHandlers.keys()]).toEqual(['app']);
  });

  it('answers IPC only for the main frame of our own origin, exactly', async () => {
    configured();
    const s = start();
    await s.ready;
    const win = windowsNow()[0];
    expect(await invoke(win, 'app.ping', ['网格'])).toEqual({ ok: true, data: 'pong:网格' });
    const main = win.webContents.mainFrame;
    const foreign = [
      { url: 'file:///opt/grid-console/out/renderer/index.html', origin: 'file://', parent: null },
      { url: 'app://console.evil.example/index.html', origin: 'app://console.evil.example', parent: null },
      { url: 'app://consoleX/index.html', origin: 'app://consolex', parent: null },
      { url: 'https://evil.example/', origin: 'https://evil.example', parent: null },
      // A subframe of our own page, even at our origin.
      { url: 'app://console/index.html', origin: 'app://console', parent: main },
    ];
    for (const frame of foreign) {
      const answer = await invoke(win, 'app.ping', ['x'], frame);
      expect(answer, frame.url).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // A frame that claims our URL but is not the sender's main frame (another webContents).
    const forged = {
      url: 'app://console/index.html',
      origin: 'app://console',
      parent: null,
      processId: 99,
      routingId: 1,
    };
    expect(await invoke(win, 'app.ping', ['x'], forged)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // The same frame as another WebFrameMain object (Electron may hand out a new wrapper): trusted.
    expect(await invoke(win, 'app.ping', ['y'], { ...main })).toEqual({ ok: true, data: 'pong:y' });
    // A window that navigated away (blocked in practice) is not trusted either.
    main.url = 'https://evil.example/';
    main.origin = 'https://evil.example';
    expect(await invoke(win, 'app.ping', ['x'])).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('blocks navigation, redirects, webviews and new windows; window.open only opens our own kinds', async () => {
    configured();
    const s = start();
    await s.ready;
    const win = windowsNow().find((w) => w.url.includes('window=map'));
    if (!win) throw new Error('no map window');
    for (const event of ['will-navigate', 'will-redirect']) {
      const e = { preventDefault: vi.fn() };
      win.webContents.emit(event, e, 'https://evil.example/');
      expect(e.preventDefault, event).toHaveBeenCalled();
    }
    const attach = { preventDefault: vi.fn() };
    win.webContents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();

    const open = (url: string): string => (win.webContents.openHandler?.({ url }) ?? { action: '?' }).action;
    // window.open of a closed kind of ours opens it again (and only that).
    const desk = windowsNow().find((w) => w.url.includes('window=desk'));
    desk?.close();
    expect(open('app://console/?window=desk')).toBe('deny');
    expect(windowsNow().filter((w) => w.url.includes('window=desk'))).toHaveLength(1);
    const before = windowsNow().length;
    for (const url of [
      'https://evil.example/?window=desk',
      'app://evil/?window=desk',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(open(url)).toBe('deny');
    }
    expect(windowsNow().length).toBe(before);
  });

  it('hands only allow-listed https hosts to the system browser', async () => {
    configured();
    const s = start();
    await s.ready;
    const win = windowsNow()[0];
    const open = (url: string): string => (win.webContents.openHandler?.({ url }) ?? { action: '?' }).action;
    for (const url of [
      'https://evil.example/',
      'http://www.gov.cn/',
      'https://www.gov.cn.evil.example/',
      'https://www.gov.cn@evil.example/',
      'https://sub.www.gov.cn/',
      'file:///etc/passwd',
      'smb://www.gov.cn/share',
    ]) {
      expect(open(url)).toBe('deny');
    }
    expect(fake.state.openedExternal).toEqual([]);
    expect(open('https://www.gov.cn/zhengce/')).toBe('deny');
    expect(fake.state.openedExternal).toEqual(['https://www.gov.cn/zhengce/']);
  });

  it('denies permissions in the request AND the check handler, except fullscreen for our origin', async () => {
    configured();
    const s = start();
    await s.ready;
    const check = fake.state.permissionCheck;
    const request = fake.state.permissionRequest;
    if (!check || !request) throw new Error('permission handlers not set');
    expect(check(null, 'fullscreen', 'app://console', {})).toBe(true);
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'serial',
      'openExternal',
    ])
      expect(check(null, p, 'app://console', {}), p).toBe(false);
    expect(check(null, 'fullscreen', 'https://evil.example', {})).toBe(false);
    expect(check(null, 'fullscreen', 'file://', {})).toBe(false);
    const answers: boolean[] = [];
    request(null, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: 'app://console/index.html' });
    request(null, 'fullscreen', (ok: boolean) => answers.push(ok), {
      requestingUrl: 'app://console/index.html',
    });
    request(null, 'fullscreen', (ok: boolean) => answers.push(ok), {
      requestingUrl: 'https://evil.example/',
    });
    expect(answers).toEqual([false, true, false]);
  });

  it('serves app:// from the renderer folder only: no .., encodings, backslashes or symlinks out', async () => {
    configured();
    symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'assets/link.txt'));
    symlinkSync(dir, join(rendererDir, 'up'));
    symlinkSync(join(rendererDir, 'assets/app.js'), join(rendererDir, 'inside.js'));
    const s = start();
    await s.ready;
    const handler = fake.state.protocolHandlers.get('app');
    if (!handler) throw new Error('app:// not handled');
    const get = async (url: string): Promise<{ status: number; body: string }> => {
      const res = await handler(new Request(url));
      return { status: res.status, body: await res.text() };
    };
    const ok = await get('app://console/index.html?window=map');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('网格指挥台');
    expect((await handler(new Request('app://console/'))).headers.get('content-security-policy')).toContain(
      "object-src 'none'",
    );
    expect((await get('app://console/assets/app.js')).status).toBe(200);
    expect((await get('app://console/inside.js')).body).toContain('console.log');
    for (const url of [
      'app://console/../secret.txt',
      'app://console/../../secret.txt',
      'app://console/%2e%2e/secret.txt',
      'app://console/%2e%2e%2fsecret.txt',
      'app://console/..%2fsecret.txt',
      'app://console/assets/..%2f..%2fsecret.txt',
      'app://console/..%5csecret.txt',
      'app://console/%252e%252e%252fsecret.txt',
      'app://console/assets/%00/../../secret.txt',
      'app://console/assets/link.txt',
      'app://console/up/secret.txt',
      'app://console/up/out/secret.txt',
      'app://evil/secret.txt',
      'app://console/%E0%A4%A',
    ]) {
      const res = await get(url);
      expect(res.status, url).not.toBe(200);
      expect(res.body, url).not.toContain('SECRET-OUTSIDE');
    }
    expect(
      (await handler(new Request('app://console/index.html', { method: 'POST', body: 'x' }))).status,
    ).toBe(405);
  });

  it('treats the Linux basic_text keyring as not secure: file key, said in the settings view', async () => {
    configured();
    fake.state.backend = 'basic_text';
    const s = start();
    await s.ready;
    const win = windowsNow()[0];
    const answer = await invoke(win, 'settings.get', []);
    const view = answer.data as { keyStorage: { secure: boolean; note: string; kind: string } };
    if (process.platform === 'linux') {
      expect(view.keyStorage.secure).toBe(false);
      expect(view.keyStorage.note).toMatch(/basic_text.*not secure/);
      expect(existsSync(join(userData, 'console/session.key.enc'))).toBe(false);
      expect(statSync(join(userData, 'console/session.key')).mode & 0o777).toBe(0o600);
    }
  });

  it('uses the OS keychain when there is a real one', async () => {
    configured();
    fake.state.backend = 'gnome_libsecret';
    const s = start();
    await s.ready;
    const view = (await invoke(windowsNow()[0], 'settings.get', [])).data as {
      keyStorage: { secure: boolean; kind: string };
    };
    expect(view.keyStorage).toMatchObject({ secure: true, kind: 'aes-256-gcm/safeStorage' });
    expect(existsSync(join(userData, 'console/session.key.enc'))).toBe(true);
  });

  it('first run without settings opens only the settings window; saving configures and opens the workstation', async () => {
    const s = start();
    await s.ready;
    const first = windowsNow();
    expect(first).toHaveLength(1);
    const settingsWin = first[0];
    const q = new URL(settingsWin.url).searchParams;
    expect(q.get('window')).toBe('settings');
    expect(q.get('firstRun')).toBe('1');
    expect(s.data()).toBeNull();

    const view = (await invoke(settingsWin, 'settings.get', [])).data as {
      firstRun: boolean;
      canEdit: boolean;
    };
    expect(view).toMatchObject({ firstRun: true, canEdit: true });
    const bad = await invoke(settingsWin, 'settings.save', [{ servers: ['ftp://x'] }]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const saved = await invoke(settingsWin, 'settings.save', [
      { servers: ['http://127.0.0.1:9'], workstationName: '东城指挥席 1', language: 'zh-CN' },
    ]);
    expect(saved).toMatchObject({ ok: true, data: { firstRun: false, canEdit: false } });
    expect(existsSync(join(userData, 'settings.json'))).toBe(true);
    expect(settingsWin.destroyed).toBe(true);
    expect(
      windowsNow()
        .map((w) => new URL(w.url).searchParams.get('window'))
        .sort(),
    ).toEqual(DEFAULT_KINDS);
    expect(s.data()).not.toBeNull();
    // After the first run only the admin role may change or open the settings (nobody is logged in).
    const map = windowsNow()[0];
    expect(await invoke(map, 'settings.save', [{ workstationName: 'x' }])).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await invoke(map, 'settings.open', [])).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a deployment file or the command line configures the workstation: no first run, keys managed', async () => {
    writeFileSync(
      join(dir, 'etc-settings.json'),
      JSON.stringify({
        servers: ['https://dispatch.example.gov.cn:7420'],
        caFile: '/etc/grid-console/ca.pem',
      }),
    );
    const s = start(['--workstation=南城 2 号席', '--lang=en']);
    await s.ready;
    expect(s.settings()).toMatchObject({
      firstRun: false,
      deploymentFile: join(dir, 'etc-settings.json'),
      settings: {
        servers: ['https://dispatch.example.gov.cn:7420'],
        caFile: '/etc/grid-console/ca.pem',
        workstationName: '南城 2 号席',
        language: 'en',
      },
    });
    expect(s.settings().managed.sort()).toEqual(['caFile', 'language', 'servers', 'workstationName']);
    expect(windowsNow().some((w) => w.url.includes('window=settings'))).toBe(false);
  });
});
