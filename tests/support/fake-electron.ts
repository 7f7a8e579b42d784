// A faked `electron` module for the shell's tests (Electron's binary does not exist on these
// machines). It records what the shell asks of Electron — windows and their webPreferences,
// IPC handlers, protocol handlers, permission handlers, menus, openExternal — and lets a test
// play Electron's part: call a handler with a sender frame, navigate a window, fork a utility
// process (a real Node child process running the entry under tsx).
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

type Listener = (...args: never[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Listener): this {
    return this.on(event, fn);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((fn) => (fn as (...a: unknown[]) => unknown)(...args));
  }
}

export interface FakeFrame {
  url: string;
  origin: string;
  parent: FakeFrame | null;
  processId?: number;
  routingId?: number;
}

let nextWindowId = 1;

export class FakeWebContents extends Emitter {
  readonly mainFrame: FakeFrame = {
    url: '',
    origin: '',
    parent: null,
    processId: 7,
    routingId: nextWindowId,
  };
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void {
    this.openHandler = fn;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

export class FakeBrowserWindow extends Emitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }
  static getFocusedWindow(): FakeBrowserWindow | null {
    return null;
  }
  readonly id = nextWindowId++;
  readonly webContents = new FakeWebContents();
  url = '';
  destroyed = false;
  fullScreen = false;
  bounds: { x: number; y: number; width: number; height: number };
  constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super();
    const o = options as { x?: number; y?: number; width?: number; height?: number };
    this.bounds = { x: o.x ?? 0, y: o.y ?? 0, width: o.width ?? 800, height: o.height ?? 600 };
    FakeBrowserWindow.all.push(this);
    const contents = fake.app.listeners.get('web-contents-created') ?? [];
    for (const fn of contents) (fn as (e: unknown, c: FakeWebContents) => void)({}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    const u = new URL(url);
    this.webContents.mainFrame.url = url;
    this.webContents.mainFrame.origin = `${u.protocol}//${u.host}`;
    return Promise.resolve();
  }
  loadFile(): Promise<void> {
    throw new Error('the shell must not load file: URLs');
  }
  show(): void {}
  focus(): void {}
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds() {
    return { ...this.bounds };
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  setBounds(b: { x: number; y: number; width: number; height: number }): void {
    this.bounds = { ...b };
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  setFullScreen(f: boolean): void {
    this.fullScreen = f;
  }
}

export interface FakeDisplay {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  workArea: { x: number; y: number; width: number; height: number };
}

const oneMonitor: FakeDisplay[] = [
  {
    id: 1,
    bounds: { x: 0, y: 0, width: 1920, height: 1080 },
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  },
];

/** A utility process played by a Node child process (the entry runs under tsx). */
class FakeUtilityProcess extends EventEmitter {
  constructor(readonly child: ChildProcess) {
    super();
    child.on('message', (m) => this.emit('message', m));
    child.on('exit', (code) => this.emit('exit', code ?? 0));
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as never);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

function freshState() {
  return {
    userData: '',
    displays: oneMonitor,
    backend: 'gnome_libsecret' as string,
    encryption: true,
    ipcHandlers: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>(),
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    privilegedSchemes: [] as unknown[],
    permissionRequest: null as null | ((...a: unknown[]) => void),
    permissionCheck: null as null | ((...a: unknown[]) => boolean),
    openedExternal: [] as string[],
    forks: [] as { modulePath: string; args: string[]; options: unknown; process: FakeUtilityProcess }[],
    sandboxEnabled: false,
    ready: null as null | (() => void),
  };
}

export const fake = {
  state: freshState(),
  app: new Emitter(),
};

/** Resets everything the fake recorded (call in beforeEach). */
export function resetFakeElectron(userData: string): void {
  for (const f of fake.state.forks) f.process.kill();
  fake.state = { ...freshState(), userData };
  fake.app = new Emitter();
  FakeBrowserWindow.all = [];
}

/** The `electron` module as the shell imports it. */
export const electron = {
  app: {
    getPath: (name: string) => (name === 'exe' ? '/opt/grid-console/grid-console' : fake.state.userData),
    getVersion: () => '0.1.0-test',
    isPackaged: false,
    enableSandbox: () => {
      fake.state.sandboxEnabled = true;
    },
    on: (event: string, fn: Listener) => fake.app.on(event, fn),
    whenReady: () => Promise.resolve(),
    quit: () => undefined,
  },
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) => {
      fake.state.ipcHandlers.set(channel, fn);
    },
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => fake.state.privilegedSchemes.push(...schemes),
    handle: (scheme: string, fn: (request: Request) => Promise<Response>) => {
      fake.state.protocolHandlers.set(scheme, fn);
    },
  },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: () => undefined },
      setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => {
        fake.state.permissionRequest = fn;
      },
      setPermissionCheckHandler: (fn: (...a: unknown[]) => boolean) => {
        fake.state.permissionCheck = fn;
      },
    },
  },
  safeStorage: {
    isEncryptionAvailable: () => fake.state.encryption,
    getSelectedStorageBackend: () => fake.state.backend,
    encryptString: (text: string) => Buffer.from(`enc:${text}`),
    decryptString: (bytes: Buffer) => bytes.toString().replace(/^enc:/, ''),
  },
  screen: {
    getAllDisplays: () => fake.state.displays,
    getPrimaryDisplay: () => fake.state.displays[0],
    getDisplayNearestPoint: () => fake.state.displays[0],
    getCursorScreenPoint: () => ({ x: 10, y: 10 }),
    on: () => undefined,
  },
  Menu: {
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu: () => undefined,
  },
  shell: {
    openExternal: (url: string) => {
      fake.state.openedExternal.push(url);
      return Promise.resolve();
    },
  },
  utilityProcess: {
    fork: (modulePath: string, args: string[], options: unknown) => {
      const child = fork(modulePath, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      const process = new FakeUtilityProcess(child);
      fake.state.forks.push({ modulePath, args, options, process });
      return process;
    },
  },
};

/** An IPC event as Electron builds it: the sender's main frame, or another frame. */
export function ipcEvent(win: FakeBrowserWindow, frame?: FakeFrame): unknown {
  return { sender: win.webContents, senderFrame: frame ?? win.webContents.mainFrame };
}

/** Call a contract handler as a window would. */
export async function invoke(
  win: FakeBrowserWindow,
  name: string,
  args: unknown[],
  frame?: FakeFrame,
): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
  const handler = fake.state.ipcHandlers.get(`gc:call:${name}`);
  if (!handler) throw new Error(`no IPC handler for ${name}`);
  return (await handler(ipcEvent(win, frame), args)) as never;
}
