// The Electron shell: the ONLY place that imports electron. It builds windows with the
// security basics (contextIsolation, sandbox, CSP, navigation blocked) and binds the IPC
// contract to the same ConsoleService the web host uses. Keep it thin: it cannot be tested here.
import { app, BrowserWindow, safeStorage, session, shell } from 'electron';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleService } from '../app/console-service';
import { CONTENT_SECURITY_POLICY } from '../app/security';
import { forwardChange } from '../app/wire-events';
import { DataClient } from '../data/data-client';
import { fileSessionKey } from '../data/secret-box';
import { broadcast, registerIpc } from './ipc';

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

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1600,
    height: 960,
    title: '网格指挥台 Grid Console',
    backgroundColor: '#0b1622',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Nothing but our own page: block navigation and new windows (links open in the OS browser).
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

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
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  void data?.close();
});
