// The Electron window manager of the multi-monitor workstation: one BrowserWindow
// per window kind (app://console/index.html?window=<kind>, same security settings as every
// window), placed on the displays by the pure layout logic (src-main/app/window-layout.ts),
// named layouts per logged-in seat and per monitor arrangement saved as JSON in userData, a 窗口
// menu with shortcuts to open/close/swap windows and full-screen per window, and the settings
// window (first run, later the admin role). Thin on purpose; tested with a faked electron.
import { BrowserWindow, Menu, screen, shell, type MenuItemConstructorOptions } from 'electron';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  captureLayout,
  defaultLayout,
  layoutForSeat,
  parseLayoutFile,
  restoreLayout,
  seatLayoutKey,
  withLayout,
  WINDOW_KINDS,
  type DisplayInfo,
  type PlacedWindow,
  type Rect,
  type WindowKind,
} from '../app/window-layout';
import { APP_ORIGIN, appUrl } from './app-protocol';

export interface WindowManagerOptions {
  preload: string;
  /** The layouts JSON file (userData/window-layouts.json). */
  layoutsFile: string;
  /** The logged-in seat whose layouts are used ('' before anyone logged in on this PC). */
  seatId(): string;
  /** Whether a link may be opened in the system browser (settings' allow-list). */
  externalAllowed(url: string): boolean;
  log?: (line: string) => void;
}

/** Every window's webPreferences: no Node, isolated, sandboxed, V8 code cache on. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  // Compile and cache the bundles' code on first run, not only after V8 finds it hot: the
  // second start of a shift parses the map chunk from the cache.
  v8CacheOptions: 'bypassHeatCheck',
} as const;

const TITLES: Record<WindowKind, string> = {
  map: '地图墙 Map wall',
  desk: '事件台 Case desk',
  video: '视频墙 Video wall',
  briefing: '研判简报 Briefing',
};

const displays = (): DisplayInfo[] => {
  const primary = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d) => ({
    id: d.id,
    bounds: d.bounds,
    workArea: d.workArea,
    primary: d.id === primary,
  }));
};

/** The window kind an app://console/ URL opens (`/?window=desk`, `/index.html?window=desk`), or null. */
export function ownWindowKind(url: string): WindowKind | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (`${u.protocol}//${u.host}` !== APP_ORIGIN) return null;
  if (u.pathname !== '/' && u.pathname !== '/index.html') return null;
  const kind = u.searchParams.get('window');
  return (WINDOW_KINDS as readonly string[]).includes(kind ?? '') ? (kind as WindowKind) : null;
}

export class WindowManager {
  private readonly windows = new Map<WindowKind, BrowserWindow>();
  private settingsWindow: BrowserWindow | null = null;
  private started = false;

  constructor(private readonly options: WindowManagerOptions) {}

  /** The seat's last layout on these monitors, else the default one over the displays there are. */
  start(): void {
    this.applySeat();
    if (this.started) return;
    this.started = true;
    Menu.setApplicationMenu(this.menu());
    // A monitor unplugged: re-validate every window against the displays left.
    screen.on('display-removed', () => this.revalidate());
    screen.on('display-metrics-changed', () => this.revalidate());
  }

  /** The logged-in seat changed: place the windows as that seat left them on these monitors. */
  applySeat(): void {
    const saved = layoutForSeat(this.readFile(), this.options.seatId(), displays());
    const placed = saved ? restoreLayout(saved, displays()) : defaultLayout(displays());
    if (saved) for (const [kind, w] of this.windows) if (!placed.some((p) => p.kind === kind)) w.close();
    for (const p of placed) this.place(p);
  }

  open(kind: WindowKind, bounds?: Rect): BrowserWindow {
    const held = this.windows.get(kind);
    if (held && !held.isDestroyed()) {
      held.show();
      held.focus();
      return held;
    }
    const area = screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea;
    const win = this.create(
      `网格指挥台 · ${TITLES[kind]}`,
      bounds ?? {
        x: area.x + 40,
        y: area.y + 40,
        width: Math.min(1600, area.width - 80),
        height: Math.min(960, area.height - 80),
      },
      { window: kind },
    );
    win.on('closed', () => {
      if (this.windows.get(kind) === win) this.windows.delete(kind);
    });
    this.windows.set(kind, win);
    return win;
  }

  /** The settings window (first run: the only window; later from the menu, admin role). */
  openSettings(firstRun: boolean): BrowserWindow {
    if (this.settingsWindow && !this.settingsWindow.isDestroyed()) {
      this.settingsWindow.focus();
      return this.settingsWindow;
    }
    const area = screen.getPrimaryDisplay().workArea;
    const width = Math.min(880, area.width - 80);
    const height = Math.min(760, area.height - 80);
    const win = this.create(
      '网格指挥台 · 设置 Settings',
      {
        x: area.x + Math.round((area.width - width) / 2),
        y: area.y + Math.round((area.height - height) / 2),
        width,
        height,
      },
      firstRun ? { window: 'settings', firstRun: '1' } : { window: 'settings' },
    );
    win.on('closed', () => {
      if (this.settingsWindow === win) this.settingsWindow = null;
    });
    this.settingsWindow = win;
    return win;
  }

  closeSettings(): void {
    this.settingsWindow?.close();
  }

  private create(title: string, bounds: Rect, query: Record<string, string>): BrowserWindow {
    const win = new BrowserWindow({
      ...bounds,
      title,
      backgroundColor: '#0b1622',
      show: false,
      webPreferences: { ...WEB_PREFERENCES, preload: this.options.preload },
    });
    win.once('ready-to-show', () => win.show());
    // Nothing but our own page: navigation and redirects are blocked; window.open of our own
    // kinds opens (or focuses) that window; an allow-listed https link goes to the system
    // browser; everything else is refused and logged.
    const block = (event: { preventDefault(): void }, url: string): void => {
      event.preventDefault();
      this.options.log?.(`navigation refused: ${url}`);
    };
    win.webContents.on('will-navigate', (event, url) => block(event, url));
    win.webContents.on('will-redirect', (event, url) => block(event, url));
    win.webContents.setWindowOpenHandler(({ url }) => {
      const k = ownWindowKind(url);
      if (k) this.open(k);
      else if (this.options.externalAllowed(url)) void shell.openExternal(url);
      else this.options.log?.(`window.open refused: ${url}`);
      return { action: 'deny' };
    });
    void win.loadURL(appUrl(query));
    return win;
  }

  close(kind: WindowKind): void {
    this.windows.get(kind)?.close();
  }

  toggleFullScreen(kind: WindowKind): void {
    const win = this.windows.get(kind);
    if (win) win.setFullScreen(!win.isFullScreen());
  }

  /** Swaps the places of the focused window and the window of `other` (e.g. map ↔ video). */
  swap(a: WindowKind, b: WindowKind): void {
    const wa = this.windows.get(a);
    const wb = this.windows.get(b);
    if (!wa || !wb) return;
    const ba = wa.getBounds();
    wa.setBounds(wb.getBounds());
    wb.setBounds(ba);
  }

  saveLayout(name: string): void {
    const open = [...this.windows].map(([kind, w]) => ({
      kind,
      bounds: w.isFullScreen() ? w.getNormalBounds() : w.getBounds(),
      fullScreen: w.isFullScreen(),
    }));
    const layout = captureLayout(name, open, displays(), Date.now());
    const file = withLayout(this.readFile(), seatLayoutKey(this.options.seatId(), displays()), layout);
    writeFileSync(`${this.options.layoutsFile}.tmp`, JSON.stringify(file, null, 2), { mode: 0o600 });
    renameSync(`${this.options.layoutsFile}.tmp`, this.options.layoutsFile);
  }

  restore(name?: string): void {
    const saved = layoutForSeat(this.readFile(), this.options.seatId(), displays(), name);
    if (!saved) return;
    const placed = restoreLayout(saved, displays());
    for (const [kind, w] of this.windows) if (!placed.some((p) => p.kind === kind)) w.close();
    for (const p of placed) this.place(p);
  }

  private place(p: PlacedWindow): void {
    const win = this.open(p.kind, p.bounds);
    win.setBounds(p.bounds);
    if (win.isFullScreen() !== p.fullScreen) win.setFullScreen(p.fullScreen);
  }

  private revalidate(): void {
    const open = [...this.windows].map(([kind, w]) => ({
      kind,
      bounds: w.getBounds(),
      fullScreen: w.isFullScreen(),
    }));
    if (open.length === 0) return;
    // The windows as they are, against the displays as they were → the displays there are now.
    const current = captureLayout('current', open, displays(), Date.now());
    for (const p of restoreLayout(current, displays())) this.place(p);
  }

  private readFile() {
    const f = this.options.layoutsFile;
    return parseLayoutFile(existsSync(f) ? readFileSync(f, 'utf8') : null);
  }

  private focusedKind(): WindowKind | null {
    const focused = BrowserWindow.getFocusedWindow();
    for (const [kind, w] of this.windows) if (w === focused) return kind;
    return null;
  }

  private menu(): Menu {
    const kinds: MenuItemConstructorOptions[] = WINDOW_KINDS.map((kind, i) => ({
      label: `打开 ${TITLES[kind]}`,
      accelerator: `CmdOrCtrl+Shift+${i + 1}`,
      click: () => this.open(kind),
    }));
    const template: MenuItemConstructorOptions[] = [
      { role: 'appMenu' as const, visible: process.platform === 'darwin' },
      { label: '编辑 Edit', role: 'editMenu' },
      {
        label: '窗口 Windows',
        submenu: [
          ...kinds,
          { type: 'separator' },
          {
            label: '全屏 Full screen',
            accelerator: 'F11',
            click: () => {
              const k = this.focusedKind();
              if (k) this.toggleFullScreen(k);
            },
          },
          {
            label: '与地图墙交换 Swap with map wall',
            accelerator: 'CmdOrCtrl+Shift+X',
            click: () => {
              const k = this.focusedKind();
              if (k && k !== 'map') this.swap(k, 'map');
            },
          },
          {
            label: '关闭窗口 Close window',
            accelerator: 'CmdOrCtrl+W',
            click: () => {
              const k = this.focusedKind();
              if (k) this.close(k);
            },
          },
          { type: 'separator' },
          {
            label: '保存布局 Save layout',
            accelerator: 'CmdOrCtrl+Shift+L',
            click: () => this.saveLayout('default'),
          },
          {
            label: '恢复布局 Restore layout',
            accelerator: 'CmdOrCtrl+Shift+R',
            click: () => this.restore('default'),
          },
        ],
      },
    ];
    return Menu.buildFromTemplate(template);
  }
}
