// Demo mode and per-seat layouts of the Electron shell (issue 19), with a faked `electron` whose
// utilityProcess.fork runs the real demo server entry (scripts/demo-server-process.ts) in a Node
// child process: the shell forks it with its data under userData/demo, connects its data worker
// to the URL the child reports, and a seat logs in against it. Then the layouts: what seat A
// saved is restored for A and never applied to seat B; and the admin role reaches the settings.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { ensureSmallDataset } from '../support/datasets';
import { FakeBrowserWindow, fake, invoke, resetFakeElectron } from '../support/fake-electron';

vi.mock('electron', async () => (await import('../support/fake-electron')).electron);

const { startShell } = await import('../../src-main/electron/shell');
const { defaultLayout } = await import('../../src-main/app/window-layout');

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let userData: string;
/** The demo server's admin seat has its own generated password (issue 14 §5), not the demo one. */
const demoAdminPassword = (): string =>
  readFileSync(join(userData, 'demo/server/admin.password'), 'utf8').trim();
let shell: ReturnType<typeof startShell>;

const mapWindow = (): FakeBrowserWindow => {
  const w = FakeBrowserWindow.getAllWindows().find((x) => x.url.includes('window=map'));
  if (!w) throw new Error('no map window');
  return w;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gc-shell-demo-'));
  userData = join(dir, 'userData');
  mkdirSync(join(dir, 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html>');
  resetFakeElectron(userData);
  shell = startShell({
    preload: join(dir, 'preload.cjs'),
    rendererDir: join(dir, 'renderer'),
    workerFile: join(ROOT, 'src-main/data/data-worker.ts'),
    demoEntry: join(ROOT, 'scripts/demo-server-process.ts'),
    demoResources: join(ROOT, 'resources/demo'),
    demoDatasetDir: ensureSmallDataset(),
    deploymentFiles: [],
    argv: ['--demo'],
    env: {},
    log: () => undefined,
  });
  await shell.ready;
});

afterAll(async () => {
  await shell.quit();
  for (const f of fake.state.forks) f.process.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo mode', () => {
  it('forks the embedded server in a utility process with its data under userData, and connects to it', async () => {
    expect(fake.state.forks).toHaveLength(1);
    const forked = fake.state.forks[0];
    expect(forked.modulePath).toBe(join(ROOT, 'scripts/demo-server-process.ts'));
    expect(forked.args.slice(0, 2)).toEqual(['--data-dir', join(userData, 'demo')]);
    expect(forked.options).toMatchObject({ serviceName: expect.any(String) as string });
    expect(existsSync(join(userData, 'demo/server/server.sqlite'))).toBe(true);

    const view = (await invoke(mapWindow(), 'settings.get', [])).data as {
      server: { url: string; demo: string; reachable: boolean };
    };
    expect(view.server).toMatchObject({ demo: 'running', reachable: true });
    expect(view.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${view.server.url}/api/health`);
    expect(health.ok).toBe(true);

    const login = await invoke(mapWindow(), 'session.login', ['city.dispatcher', DEMO_PASSWORD]);
    expect(login).toMatchObject({ ok: true, data: { seat: { userName: 'city.dispatcher' } } });
    expect((login.data as { seat: { serverUrl: string } }).seat.serverUrl).toBe(view.server.url);
    expect(shell.seat()?.userName).toBe('city.dispatcher');
    const state = await invoke(mapWindow(), 'connection.state', []);
    expect(state).toMatchObject({ ok: true });
  });

  it('a layout saved for seat A is restored for A and not applied to seat B', async () => {
    expect(shell.seat()?.userName).toBe('city.dispatcher');
    const defaults = defaultLayout(fake.state.displays);
    const defaultMap = defaults.find((p) => p.kind === 'map')?.bounds;
    const moved = { x: 333, y: 77, width: 900, height: 640 };
    mapWindow().setBounds(moved);
    shell.windows.saveLayout('default');

    const asAdmin = await invoke(mapWindow(), 'session.login', ['admin', demoAdminPassword()]);
    expect(asAdmin).toMatchObject({ ok: true, data: { seat: { role: 'admin' } } });
    expect(mapWindow().getBounds()).toEqual(defaultMap);
    expect(mapWindow().getBounds()).not.toEqual(moved);

    const back = await invoke(mapWindow(), 'session.login', ['city.dispatcher', DEMO_PASSWORD]);
    expect(back.ok).toBe(true);
    expect(mapWindow().getBounds()).toEqual(moved);

    // Another monitor arrangement: A's layout is fitted onto it, still not B's default.
    fake.state.displays = [
      ...fake.state.displays,
      {
        id: 2,
        bounds: { x: 1920, y: 0, width: 2560, height: 1440 },
        workArea: { x: 1920, y: 0, width: 2560, height: 1400 },
      },
    ];
    shell.windows.applySeat();
    expect(mapWindow().getBounds()).toEqual(moved);
  });

  it('after the first run only the admin role reaches the settings', async () => {
    const asDispatcher = await invoke(mapWindow(), 'settings.save', [{ workstationName: '指挥席' }]);
    expect(asDispatcher).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await invoke(mapWindow(), 'session.login', ['admin', demoAdminPassword()]);
    const asAdmin = await invoke(mapWindow(), 'settings.save', [{ workstationName: '指挥席' }]);
    expect(asAdmin).toMatchObject({
      ok: true,
      data: { settings: { workstationName: '指挥席' }, canEdit: true },
    });
    expect(await invoke(mapWindow(), 'settings.open', [])).toEqual({ ok: true, data: true });
    expect(FakeBrowserWindow.getAllWindows().some((w) => w.url.includes('window=settings'))).toBe(true);
    // demo stays as the command line set it (managed), whatever the screen sends.
    const managed = await invoke(mapWindow(), 'settings.save', [{ demo: false }]);
    expect(managed).toMatchObject({ ok: true, data: { settings: { demo: true } } });
  });
});
