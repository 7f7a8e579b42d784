// The Electron shell's composition: the ONLY module (with its siblings in src-main/electron)
// that imports electron. Windows get the security basics (isolated, sandboxed, no Node, CSP,
// navigation and new windows blocked, window.open only for our own kinds); the renderer is
// served from app://console confined to out/renderer; IPC answers only our own main frames;
// permissions are denied (request AND check) except fullscreen/clipboard-write for our origin;
// openExternal only for the allow-listed https hosts. Settings decide where the data come from:
// a configured server (the first that answers), or the embedded demo server in a utility
// process; nothing configured → the settings window first. Window layouts follow the seat that
// logs in. Electron's binary does not exist on the build machines: tests/integration/shell-*.test.ts
// drive this module with a faked `electron`.
import { app, BrowserWindow, safeStorage, session } from 'electron';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingsView } from '../../src-shared/ipc/settings-view';
import type { ConsoleHandlers, SeatView, StartView } from '../../src-shared/ipc/contract';
import { CallError } from '../app/call-router';
import { consoleService, type ConsoleService } from '../app/console-service';
import { CONTENT_SECURITY_POLICY } from '../app/security';
import { SelectionBus } from '../app/selection-bus';
import {
  externalAllowed,
  loadSettings,
  mayEditSettings,
  pickServer,
  saveSettings,
  type LoadedSettings,
  type Settings,
} from '../app/settings';
import { forwardChange } from '../app/wire-events';
import { DataClient } from '../data/data-client';
import { fileSessionKey } from '../data/secret-box';
import { APP_ORIGIN, handleAppProtocol, registerAppScheme } from './app-protocol';
import { DemoServer } from './demo-server';
import { broadcast, registerIpc } from './ipc';
import { WindowManager } from './window-manager';
import { createServerHttp } from '../data/server-http';

export interface ShellOptions {
  /** out/preload/index.cjs */
  preload: string;
  /** out/renderer: the only folder app:// serves. */
  rendererDir: string;
  /** The data worker's entry (out/main/data-worker.js; a .ts source under tsx in tests). */
  workerFile: string;
  /** The demo server's entry (out/main/demo-server.js). */
  demoEntry: string;
  /** resources/demo (process.resourcesPath/demo when packaged). */
  demoResources: string;
  /** A ready demo dataset (tests); default: generated under userData/demo on first use. */
  demoDatasetDir?: string;
  /** Deployment settings files looked for, in order (beside the executable, /etc/grid-console). */
  deploymentFiles: string[];
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Whether a dispatch server answers (default: GET <url>/api/health within 1.5 s). */
  probe?: (url: string) => Promise<boolean>;
  log?: (line: string) => void;
}

export interface Shell {
  readonly service: ConsoleService;
  readonly windows: WindowManager;
  readonly demo: DemoServer;
  /** Resolves when the app is ready and the first windows are open. */
  readonly ready: Promise<void>;
  settings(): LoadedSettings;
  data(): DataClient | null;
  seat(): SeatView | null;
  quit(): Promise<void>;
}

/** Permissions a page of ours may use; everything else (camera, geolocation, …) is refused. */
const ALLOWED_PERMISSIONS = new Set(['fullscreen', 'clipboard-sanitized-write']);

export function permissionAllowed(permission: string, origin: string | null | undefined): boolean {
  if (!origin) return false;
  let sameOrigin = false;
  try {
    const u = new URL(origin);
    sameOrigin = `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    sameOrigin = false;
  }
  return sameOrigin && ALLOWED_PERMISSIONS.has(permission);
}

interface KeyStorage {
  key: Buffer;
  kind: string;
  secure: boolean;
  note: string | null;
}

/**
 * The key that seals session tokens at rest, wrapped by the OS keychain when there is a real
 * one. On Linux without a keyring Electron falls back to `basic_text` (a hard-coded password):
 * that is no protection, so it is treated like no keychain at all — a 0600 file — and said so.
 */
function sessionKey(dir: string, log: (line: string) => void): KeyStorage {
  const backend =
    process.platform === 'linux' && typeof safeStorage.getSelectedStorageBackend === 'function'
      ? safeStorage.getSelectedStorageBackend()
      : null;
  const keychain = safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown';
  if (!keychain) {
    const note =
      backend === 'basic_text'
        ? 'Linux: no keyring (gnome-libsecret/kwallet) — safeStorage would use basic_text, which is not secure; the session key is a file readable by this user only (0600).'
        : 'No OS keychain: the session key is a file readable by this user only (0600).';
    log(`session key: ${note}`);
    return {
      key: fileSessionKey(join(dir, 'session.key')),
      kind: backend === 'basic_text' ? 'aes-256-gcm/file-0600 (basic_text refused)' : 'aes-256-gcm/file-0600',
      secure: false,
      note,
    };
  }
  const file = join(dir, 'session.key.enc');
  const storage = { kind: 'aes-256-gcm/safeStorage', secure: true, note: null };
  if (existsSync(file)) {
    const key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
    if (key.length === 32) return { key, ...storage };
  }
  const key = randomBytes(32);
  writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
  return { key, ...storage };
}

/** Does the server answer /api/health — over TLS, trusting the settings' CA file like the worker? */
const healthProbe = async (url: string, caFile: string | null): Promise<boolean> => {
  const http = createServerHttp({ caFile });
  try {
    const res = await http.fetch(new URL('/api/health', url).href, { signal: AbortSignal.timeout(1500) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  } finally {
    http.close();
  }
};

export function startShell(options: ShellOptions): Shell {
  const log = options.log ?? ((line: string) => console.log(`[shell] ${line}`));
  const userData = app.getPath('userData');
  const settingsFile = join(userData, 'settings.json');
  const sources = {
    userFile: settingsFile,
    deploymentFiles: options.deploymentFiles,
    argv: options.argv,
    env: options.env,
  };
  let loaded = loadSettings(sources);
  for (const p of loaded.problems) log(`settings: ${p}`);

  let data: DataClient | null = null;
  let keys: KeyStorage | null = null;
  let seat: SeatView | null = null;
  let link: SettingsView['server'] = { url: null, reachable: null, demo: 'off', error: null };
  const demo = new DemoServer({
    entry: options.demoEntry,
    dataDir: join(userData, 'demo'),
    resourcesDir: options.demoResources,
    datasetDir: options.demoDatasetDir,
    log,
  });

  const consoleDir = (): string => {
    const dir = join(userData, 'console');
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  function startData(serverUrl: string, settings: Settings): DataClient {
    const dir = consoleDir();
    keys ??= sessionKey(dir, log);
    data = new DataClient({
      dataDir: dir,
      serverUrl,
      // The other configured nodes: the link walks them when this one is lost (issue 20).
      alternateServerUrls: settings.demo ? [] : settings.servers.filter((u) => u !== serverUrl),
      workerFile: options.workerFile,
      sessionKey: keys.key.toString('base64'),
      secretKind: keys.kind,
      ...(settings.caFile ? { caFile: settings.caFile } : {}),
      onChange: (change) => forwardChange(broadcast, change),
      log,
    });
    return data;
  }

  /** Where the data come from, per the settings: the demo server or the first server that answers. */
  async function connect(): Promise<void> {
    const { settings } = loaded;
    if (settings.demo) {
      link = { url: null, reachable: null, demo: 'starting', error: null };
      try {
        const url = await demo.start();
        link = { url, reachable: true, demo: 'running', error: null };
        startData(url, settings);
        log(`demo mode: embedded dispatch server at ${url}`);
      } catch (e) {
        link = { url: null, reachable: false, demo: 'failed', error: (e as Error).message };
        log(link.error ?? 'demo server failed');
      }
      return;
    }
    const picked = await pickServer(
      settings.servers,
      options.probe ?? ((url) => healthProbe(url, settings.caFile)),
    );
    if (!picked) return;
    link = {
      url: picked.url,
      reachable: picked.reachable,
      demo: 'off',
      error: picked.reachable ? null : `no configured server answers (${settings.servers.join(', ')})`,
    };
    if (!picked.reachable) log(`${link.error}; starting offline from the cache`);
    startData(picked.url, settings);
  }

  async function reconnect(): Promise<void> {
    const old = data;
    data = null;
    await old?.close();
    if (!loaded.settings.demo) demo.stop();
    await connect();
  }

  /** The seat the data worker holds a session for (the authenticated one), or null. */
  async function authenticatedSeat(): Promise<SeatView | null> {
    if (!data) return null;
    try {
      return await service['session.current']();
    } catch {
      return null;
    }
  }

  const view = async (): Promise<SettingsView> => {
    const current = await authenticatedSeat();
    const { settings, managed, deploymentFile, firstRun, problems } = loaded;
    return {
      settings: {
        servers: settings.servers,
        caFile: settings.caFile,
        workstationName: settings.workstationName,
        language: settings.language,
        demo: settings.demo,
        externalHosts: settings.externalHosts,
      },
      managed,
      deploymentFile,
      firstRun,
      canEdit: mayEditSettings(firstRun, current?.role ?? null),
      problems,
      keyStorage: keys
        ? { kind: keys.kind, secure: keys.secure, note: keys.note }
        : { kind: 'not yet created', secure: false, note: null },
      server: link,
    };
  };

  const settingsPort = {
    get: view,
    async save(input: Record<string, unknown>): Promise<SettingsView> {
      const current = await authenticatedSeat();
      if (!mayEditSettings(loaded.firstRun, current?.role ?? null))
        throw new CallError('FORBIDDEN', 'only the admin role may change the settings of this workstation');
      const wasFirstRun = loaded.firstRun;
      const before = JSON.stringify([loaded.settings.servers, loaded.settings.caFile, loaded.settings.demo]);
      const saved = saveSettings(settingsFile, loaded, input);
      if (!saved.ok) throw new CallError('BAD_REQUEST', saved.message);
      loaded = loadSettings(sources);
      log(`settings saved by ${current ? `${current.userName} (${current.role})` : 'first run'}`);
      const after = JSON.stringify([loaded.settings.servers, loaded.settings.caFile, loaded.settings.demo]);
      if (before !== after) await reconnect();
      if (wasFirstRun && !loaded.firstRun) {
        windows.closeSettings();
        windows.start();
      }
      return view();
    },
    async open(): Promise<boolean> {
      const current = await authenticatedSeat();
      if (!mayEditSettings(loaded.firstRun, current?.role ?? null))
        throw new CallError('FORBIDDEN', 'the settings are reachable with the admin role');
      windows.openSettings(loaded.firstRun);
      return true;
    },
  };

  const service = consoleService({
    host: 'electron',
    version: app.getVersion(),
    platform: process.platform,
    data: {
      call: (name, ...args) => {
        if (!data) throw new CallError('NO_DATA_SERVICE', 'no dispatch server is configured or started yet');
        return data.call(name, ...args);
      },
    },
    selection: new SelectionBus((change) => broadcast('selection.changed', change)),
    settings: settingsPort,
  });

  const windows = new WindowManager({
    preload: options.preload,
    layoutsFile: join(userData, 'window-layouts.json'),
    seatId: () => seat?.seatId ?? '',
    externalAllowed: (url) => externalAllowed(url, loaded.settings.externalHosts),
    log,
  });

  /** The IPC handlers: the service, with the seat followed on login so layouts are per seat. */
  const onStart = (start: StartView): StartView => {
    const changed = seat?.seatId !== start.seat.seatId;
    seat = start.seat;
    if (changed) windows.applySeat();
    return start;
  };
  const handlers: ConsoleHandlers = {
    ...service,
    'session.login': async (userName, password) =>
      onStart(await service['session.login'](userName, password)),
    'session.resume': async () => onStart(await service['session.resume']()),
  };

  app.enableSandbox();
  registerAppScheme();
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  const ready = app.whenReady().then(async () => {
    const ses = session.defaultSession;
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
    ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
      callback(permissionAllowed(permission, details.requestingUrl)),
    );
    ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
      permissionAllowed(permission, requestingOrigin),
    );
    registerIpc(handlers);
    handleAppProtocol(options.rendererDir, (cameraId, file, range) => {
      if (!data)
        return Promise.resolve({ ok: false, error: { code: 'NO_SESSION', message: 'not connected' } });
      return data.call('media.fetch', cameraId, file, range);
    });
    if (loaded.firstRun) {
      log('first run: no settings — opening the settings window');
      windows.openSettings(true);
      return;
    }
    await connect();
    seat = await authenticatedSeat();
    windows.start();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) windows.open('map');
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const quit = async (): Promise<void> => {
    demo.stop();
    await data?.close();
  };
  app.on('before-quit', () => void quit());

  return {
    service,
    windows,
    demo,
    ready,
    settings: () => loaded,
    data: () => data,
    seat: () => seat,
    quit,
  };
}
