// The Electron window manager of the multi-monitor workstation (issue 7): one BrowserWindow
// per window kind (index.html?window=<kind>, same security settings as every window), placed
// on the displays by the pure layout logic (src-main/app/window-layout.ts), named layouts per
// seat saved as JSON in userData, a 窗口 menu with shortcuts to open/close/swap windows and
// full-screen per window. Thin on purpose: it cannot be run on a machine without Electron.
import { BrowserWindow, Menu, screen, shell, type MenuItemConstructorOptions } from 'electron';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  captureLayout,
  defaultLayout,
  layoutOf,
  parseLayoutFile,
  restoreLayout,
  withLayout,
  WINDOW_KINDS,
  type DisplayInfo,
  type PlacedWindow,
  type Rect,
  type WindowKind,
} from '../app/window-layout';

export interface WindowManagerOptions {
  preload: string;
  rendererIndex: string;
  /** The layouts JSON file (userData/window-layouts.json). */
  layoutsFile: string;
  /** The seat whose layouts are used (the last logged-in user name, or 'default'). */
  seatId(): string;
}

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

export class WindowManager {
  private readonly windows = new Map<WindowKind, BrowserWindow>();

  constructor(private readonly options: WindowManagerOptions) {}

  /** The seat's last layout, else the default one over the displays there are. */
  start(): void {
    const saved = layoutOf(this.readFile(), this.options.seatId());
    const placed = saved ? restoreLayout(saved, displays()) : defaultLayout(displays());
    for (const p of placed) this.place(p);
    Menu.setApplicationMenu(this.menu());
    // A monitor unplugged: re-validate every window against the displays left.
    screen.on('display-removed', () => this.revalidate());
    screen.on('display-metrics-changed', () => this.revalidate());
  }

  open(kind: WindowKind, bounds?: Rect): BrowserWindow {
    const held = this.windows.get(kind);
    if (held && !held.isDestroyed()) {
      held.show();
      held.focus();
      return held;
    }
    const area = screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea;
    const win = new BrowserWindow({
      ...(bounds ?? {
        x: area.x + 40,
        y: area.y + 40,
        width: Math.min(1600, area.width - 80),
        height: Math.min(960, area.height - 80),
      }),
      title: `网格指挥台 · ${TITLES[kind]}`,
      backgroundColor: '#0b1622',
      show: false,
      webPreferences: {
        preload: this.options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    win.once('ready-to-show', () => win.show());
    // Nothing but our own page: block navigation; window.open of our own kinds is routed here.
    win.webContents.on('will-navigate', (event) => event.preventDefault());
    win.webContents.setWindowOpenHandler(({ url }) => {
      const k = /[?&]window=(map|desk|video|briefing)\b/.exec(url)?.[1] as WindowKind | undefined;
      if (k && !url.startsWith('https://')) this.open(k);
      else if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    win.on('closed', () => {
      if (this.windows.get(kind) === win) this.windows.delete(kind);
    });
    void win.loadFile(this.options.rendererIndex, { query: { window: kind } });
    this.windows.set(kind, win);
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
    const file = withLayout(this.readFile(), this.options.seatId(), layout);
    writeFileSync(`${this.options.layoutsFile}.tmp`, JSON.stringify(file, null, 2), { mode: 0o600 });
    renameSync(`${this.options.layoutsFile}.tmp`, this.options.layoutsFile);
  }

  restore(name?: string): void {
    const saved = layoutOf(this.readFile(), this.options.seatId(), name);
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
