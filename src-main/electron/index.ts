// The Electron shell: the ONLY place that imports electron. It builds windows with the
// security basics (contextIsolation, sandbox, CSP, navigation blocked) and binds the IPC
// contract to the same ConsoleService the web host uses. Keep it thin: it cannot be tested here.
import { app, BrowserWindow, safeStorage, session } from 'electron';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleService } from '../app/console-service';
import { CONTENT_SECURITY_POLICY } from '../app/security';
import { forwardChange } from '../app/wire-events';
import { DataClient } from '../data/data-client';
import { fileSessionKey } from '../data/secret-box';
import { broadcast, registerIpc } from './ipc';
// ---- video wall and windows (issue 7) ----
import { SelectionBus } from '../app/selection-bus';
import { registerMediaProtocol } from './media-protocol';
import { WindowManager } from './window-manager';

const SERVER_URL = process.env.GRID_CONSOLE_SERVER_URL ?? 'http://127.0.0.1:7420';

/** The key that seals session tokens, wrapped by the OS keychain when it is available. */
function sessionKey(dir: string): { key: Buffer; kind: string } {
  if (!safeStorage.isEncryptionAvailable())
    return { key: fileSessionKey(join(dir, 'session.key')), kind: 'aes-256-gcm/file-0600' };
  const file = join(dir, 'session.key.enc');
  if (existsSync(file)) {
    const key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
    if (key.length === 32) return { key, kind: 'aes-256-gcm/safeStorage' };
  }
  const key = randomBytes(32);
  writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
  return { key, kind: 'aes-256-gcm/safeStorage' };
}

let data: DataClient | null = null;
const service = new ConsoleService({
  host: 'electron',
  version: app.getVersion(),
  platform: process.platform,
  data: { call: (...args) => (data ?? startData()).call(...args) },
  // The selection bus: a selection in one window focuses it in every BrowserWindow.
  selection: new SelectionBus((change) => broadcast('selection.changed', change)),
});

function startData(): DataClient {
  const dir = join(app.getPath('userData'), 'console');
  mkdirSync(dir, { recursive: true });
  const { key, kind } = sessionKey(dir);
  data = new DataClient({
    dataDir: dir,
    serverUrl: SERVER_URL,
    workerFile: join(import.meta.dirname, 'data-worker.js'),
    sessionKey: key.toString('base64'),
    secretKind: kind,
    onChange: (change) => forwardChange(broadcast, change),
  });
  return data;
}

// Map wall, case desk, video wall, briefing: one BrowserWindow per kind, placed by the saved
// layout of the seat (window-manager.ts; the security settings live there).
const windows = new WindowManager({
  preload: join(import.meta.dirname, '../preload/index.cjs'),
  rendererIndex: join(import.meta.dirname, '../renderer/index.html'),
  layoutsFile: join(app.getPath('userData'), 'window-layouts.json'),
  seatId: () => 'default',
});

app.enableSandbox();
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  registerIpc(service);
  registerMediaProtocol((cameraId, file, range) =>
    (data ?? startData()).call('videoFetch', cameraId, file, range),
  );
  windows.start();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows.open('map');
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  void data?.close();
});
