// The Electron shell: the ONLY place that imports electron. It builds windows with the
// security basics (contextIsolation, sandbox, CSP, navigation blocked) and binds the IPC
// contract to the same ConsoleService the web host uses. Keep it thin: it cannot be tested here.
import { app, BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { ConsoleService } from '../app/console-service';
import { CONTENT_SECURITY_POLICY } from '../app/security';
import { registerIpc } from './ipc';

const service = new ConsoleService({
  host: 'electron',
  version: app.getVersion(),
  platform: process.platform,
});

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
