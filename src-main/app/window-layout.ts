// Window layouts of the multi-monitor workstation: which window kind sits on which
// display, where and how large, full-screen or not; named layouts per seat, saved as JSON.
// Pure functions over plain rectangles (Electron's screen.getAllDisplays() shape), so restoring
// against any set of monitors is unit-tested; src-main/electron/window-manager.ts only applies
// what these return.
import { z } from 'zod';

export const WINDOW_KINDS = ['map', 'desk', 'video', 'briefing'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the layout logic needs of a display (a subset of Electron's Display). */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  /** The bounds less task bars and docks: windows are placed inside it. */
  workArea: Rect;
  primary?: boolean;
}

const RectSchema = z.strictObject({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
});

export const SavedWindow = z.strictObject({
  kind: z.enum(WINDOW_KINDS),
  /** The display the window was on, and that display's work area then (to scale to a new one). */
  displayId: z.number().int(),
  displayArea: RectSchema,
  bounds: RectSchema,
  fullScreen: z.boolean(),
});
export type SavedWindow = z.infer<typeof SavedWindow>;

export const SavedLayout = z.strictObject({
  name: z.string().min(1).max(64),
  savedAt: z.number().int().nonnegative(),
  windows: z.array(SavedWindow).max(16),
});
export type SavedLayout = z.infer<typeof SavedLayout>;

/** The layouts file: seat id → layout name → layout, plus the last one used per seat. */
export const LayoutFile = z.strictObject({
  version: z.literal(1),
  seats: z.record(
    z.string().max(128),
    z.strictObject({
      last: z.string().max(64).nullable(),
      layouts: z.record(z.string().max(64), SavedLayout),
    }),
  ),
});
export type LayoutFile = z.infer<typeof LayoutFile>;

export interface PlacedWindow {
  kind: WindowKind;
  displayId: number;
  bounds: Rect;
  fullScreen: boolean;
  /** Why it is not where it was saved: its display is gone, or the display's size changed. */
  adjusted: 'moved' | 'resized' | null;
}

/** No window is made smaller than this (unless the display itself is smaller). */
export const MIN_SIZE = { width: 480, height: 360 } as const;

const centre = (r: Rect) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
const contains = (r: Rect, p: { x: number; y: number }) =>
  p.x >= r.x && p.x < r.x + r.width && p.y >= r.y && p.y < r.y + r.height;
const sameRect = (a: Rect, b: Rect) =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** The display holding a rectangle's centre, else the one nearest to it, else the primary. */
export function displayOf(rect: Rect, displays: readonly DisplayInfo[]): DisplayInfo {
  if (displays.length === 0) throw new Error('no display');
  const c = centre(rect);
  const hit = displays.find((d) => contains(d.bounds, c));
  if (hit) return hit;
  let best = displays[0];
  let bestD = Infinity;
  for (const d of displays) {
    const dc = centre(d.bounds);
    const dist = Math.hypot(dc.x - c.x, dc.y - c.y);
    if (dist < bestD) {
      bestD = dist;
      best = d;
    }
  }
  return best;
}

/** Clamps a rectangle into an area: never larger than it, never outside it. */
export function fitInto(rect: Rect, area: Rect): Rect {
  const width = Math.min(Math.max(rect.width, Math.min(MIN_SIZE.width, area.width)), area.width);
  const height = Math.min(Math.max(rect.height, Math.min(MIN_SIZE.height, area.height)), area.height);
  const x = Math.min(Math.max(rect.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(rect.y, area.y), area.y + area.height - height);
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

/** Maps a rectangle from one work area to another, keeping its relative place and size. */
function rescale(rect: Rect, from: Rect, to: Rect): Rect {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return {
    x: to.x + (rect.x - from.x) * sx,
    y: to.y + (rect.y - from.y) * sy,
    width: rect.width * sx,
    height: rect.height * sy,
  };
}

/**
 * Where the windows of a saved layout go on the displays there are now:
 *  - a window whose display is still there (same id, else a display with the same bounds) keeps
 *    its place; if that display's work area changed size (another resolution) it is scaled with
 *    it, and in any case clamped inside it (nothing off-screen, nothing larger than the screen);
 *  - a window whose display is gone (unplugged) moves to a remaining display — one without a
 *    window yet if there is one, else the primary — keeping its relative place and size there;
 *  - full-screen flags are kept; one window per kind (the first saved wins).
 */
export function restoreLayout(saved: SavedLayout, displays: readonly DisplayInfo[]): PlacedWindow[] {
  if (displays.length === 0) throw new Error('restoreLayout: no display');
  const primary = displays.find((d) => d.primary) ?? displays[0];
  const seen = new Set<WindowKind>();
  const windows = saved.windows.filter((w) => !seen.has(w.kind) && (seen.add(w.kind), true));

  const resolve = (w: SavedWindow): DisplayInfo | null =>
    displays.find((d) => d.id === w.displayId) ??
    displays.find((d) => sameRect(d.workArea, w.displayArea)) ??
    null;

  const used = new Set<number>();
  for (const w of windows) {
    const d = resolve(w);
    if (d) used.add(d.id);
  }
  // Displays that lost their windows' display get the orphans, spread over free displays first.
  const free = displays.filter((d) => !used.has(d.id));
  const orphanTarget = new Map<number, DisplayInfo>();
  let next = 0;

  return windows.map((w): PlacedWindow => {
    const home = resolve(w);
    if (home) {
      // Same work area: as saved (clamped). Another size or place: scaled/moved with the display.
      const target = sameRect(home.workArea, w.displayArea)
        ? w.bounds
        : rescale(w.bounds, w.displayArea, home.workArea);
      const bounds = fitInto(target, home.workArea);
      const resized = bounds.width !== w.bounds.width || bounds.height !== w.bounds.height;
      return {
        kind: w.kind,
        displayId: home.id,
        bounds,
        fullScreen: w.fullScreen,
        adjusted: resized ? 'resized' : sameRect(bounds, w.bounds) ? null : 'moved',
      };
    }
    // Windows of the same lost display stay together on the display chosen for it.
    let target = orphanTarget.get(w.displayId);
    if (!target) {
      target = free.length > 0 ? free[next++ % free.length] : primary;
      orphanTarget.set(w.displayId, target);
    }
    return {
      kind: w.kind,
      displayId: target.id,
      bounds: fitInto(rescale(w.bounds, w.displayArea, target.workArea), target.workArea),
      fullScreen: w.fullScreen,
      adjusted: 'moved',
    };
  });
}

/** A layout of the windows as they are now (bounds from the window system). */
export function captureLayout(
  name: string,
  open: readonly { kind: WindowKind; bounds: Rect; fullScreen: boolean }[],
  displays: readonly DisplayInfo[],
  now: number,
): SavedLayout {
  return {
    name,
    savedAt: now,
    windows: open.map((w) => {
      const d = displayOf(w.bounds, displays);
      return {
        kind: w.kind,
        displayId: d.id,
        displayArea: { ...d.workArea },
        bounds: { ...w.bounds },
        fullScreen: w.fullScreen,
      };
    }),
  };
}

/**
 * The first layout of a seat: map wall, case desk, video wall, briefing over the displays in
 * that order (primary first); kinds sharing a display split its work area into columns.
 */
export function defaultLayout(
  displays: readonly DisplayInfo[],
  kinds: readonly WindowKind[] = ['map', 'desk', 'video'],
): PlacedWindow[] {
  if (displays.length === 0) throw new Error('defaultLayout: no display');
  const ordered = [...displays].sort(
    (a, b) => Number(!!b.primary) - Number(!!a.primary) || a.bounds.x - b.bounds.x,
  );
  const perDisplay = new Map<number, WindowKind[]>();
  kinds.forEach((k, i) => {
    const d = ordered[i % ordered.length];
    perDisplay.set(d.id, [...(perDisplay.get(d.id) ?? []), k]);
  });
  const out: PlacedWindow[] = [];
  for (const d of ordered) {
    const list = perDisplay.get(d.id) ?? [];
    const w = d.workArea.width / Math.max(1, list.length);
    list.forEach((kind, i) =>
      out.push({
        kind,
        displayId: d.id,
        bounds: fitInto(
          { x: d.workArea.x + i * w, y: d.workArea.y, width: w, height: d.workArea.height },
          d.workArea,
        ),
        fullScreen: false,
        adjusted: null,
      }),
    );
  }
  return out;
}

// ---- the layouts file (named layouts per seat) ----

export const emptyLayoutFile = (): LayoutFile => ({ version: 1, seats: {} });

/** Reads the layouts file's JSON; anything unreadable is an empty file (layouts are a comfort). */
export function parseLayoutFile(text: string | null): LayoutFile {
  if (!text) return emptyLayoutFile();
  try {
    const parsed = LayoutFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : emptyLayoutFile();
  } catch {
    return emptyLayoutFile();
  }
}

export function withLayout(file: LayoutFile, seatId: string, layout: SavedLayout): LayoutFile {
  const seat = file.seats[seatId] ?? { last: null, layouts: {} };
  return {
    ...file,
    seats: {
      ...file.seats,
      [seatId]: { last: layout.name, layouts: { ...seat.layouts, [layout.name]: layout } },
    },
  };
}

export function withoutLayout(file: LayoutFile, seatId: string, name: string): LayoutFile {
  const seat = file.seats[seatId];
  if (!seat?.layouts[name]) return file;
  const layouts = { ...seat.layouts };
  delete layouts[name];
  return {
    ...file,
    seats: { ...file.seats, [seatId]: { last: seat.last === name ? null : seat.last, layouts } },
  };
}

export function layoutOf(file: LayoutFile, seatId: string, name?: string): SavedLayout | null {
  const seat = file.seats[seatId];
  if (!seat) return null;
  const key = name ?? seat.last;
  return key ? (seat.layouts[key] ?? null) : null;
}

// ---- per seat and per monitor arrangement ----

/**
 * The monitor arrangement as a short stable key: the displays' bounds, sorted, hashed (FNV-1a).
 * A seat's layout for the two-monitor desk and for the laptop alone are kept apart.
 */
export function arrangementKey(displays: readonly DisplayInfo[]): string {
  const text = displays
    .map((d) => `${d.bounds.x},${d.bounds.y},${d.bounds.width}x${d.bounds.height}`)
    .sort()
    .join('+');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${displays.length}m-${h.toString(16).padStart(8, '0')}`;
}

/** The layouts file's key of a seat on an arrangement of monitors. */
export const seatLayoutKey = (seatId: string, displays: readonly DisplayInfo[]): string =>
  `${seatId}@${arrangementKey(displays)}`;

/**
 * The layout a seat gets on these monitors: the one it saved for this arrangement, else its most
 * recent one from another arrangement (restoreLayout fits it onto these displays), else null
 * (the default layout). Never another seat's.
 */
export function layoutForSeat(
  file: LayoutFile,
  seatId: string,
  displays: readonly DisplayInfo[],
  name?: string,
): SavedLayout | null {
  const exact = layoutOf(file, seatLayoutKey(seatId, displays), name);
  if (exact) return exact;
  let best: SavedLayout | null = null;
  for (const key of Object.keys(file.seats)) {
    if (key.slice(0, key.lastIndexOf('@')) !== seatId) continue;
    const candidate = layoutOf(file, key, name);
    if (candidate && (!best || candidate.savedAt > best.savedAt)) best = candidate;
  }
  return best;
}
