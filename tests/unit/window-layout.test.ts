// Layout restore of the multi-monitor workstation (src-main/app/window-layout.ts) against
// display fixtures shaped like Electron's screen.getAllDisplays(): one, two and three monitors,
// a monitor unplugged, a monitor at another resolution.
import { describe, expect, it } from 'vitest';
import {
  captureLayout,
  defaultLayout,
  displayOf,
  fitInto,
  layoutOf,
  parseLayoutFile,
  restoreLayout,
  withLayout,
  withoutLayout,
  type DisplayInfo,
  type PlacedWindow,
  type Rect,
  type SavedLayout,
} from '../../src-main/app/window-layout';

/** A monitor at x of `width`×`height` with a 40 px task bar at the bottom. */
const monitor = (id: number, x: number, width: number, height: number, primary = false): DisplayInfo => ({
  id,
  bounds: { x, y: 0, width, height },
  workArea: { x, y: 0, width, height: height - 40 },
  primary,
});
const ONE = [monitor(1, 0, 1920, 1080, true)];
const TWO = [monitor(1, 0, 1920, 1080, true), monitor(2, 1920, 1920, 1080)];
const THREE = [monitor(1, 0, 1920, 1080, true), monitor(2, 1920, 1920, 1080), monitor(3, 3840, 2560, 1440)];

const inside = (r: Rect, area: Rect): boolean =>
  r.x >= area.x &&
  r.y >= area.y &&
  r.x + r.width <= area.x + area.width &&
  r.y + r.height <= area.y + area.height;
const onScreen = (placed: PlacedWindow[], displays: DisplayInfo[]): void => {
  for (const p of placed) {
    const d = displays.find((x) => x.id === p.displayId);
    expect(d, `${p.kind} is on a display that exists`).toBeDefined();
    expect(inside(p.bounds, d!.workArea), `${p.kind} ${JSON.stringify(p.bounds)} inside ${d!.id}`).toBe(true);
  }
};
const byKind = (placed: PlacedWindow[]) => Object.fromEntries(placed.map((p) => [p.kind, p]));

/** The windows of a three-monitor desk: map wall full-screen on the big one. */
const threeMonitorLayout = (): SavedLayout =>
  captureLayout(
    'day shift',
    [
      { kind: 'desk', bounds: { x: 0, y: 0, width: 1920, height: 1040 }, fullScreen: false },
      { kind: 'video', bounds: { x: 1920, y: 0, width: 1920, height: 1040 }, fullScreen: false },
      { kind: 'briefing', bounds: { x: 2400, y: 200, width: 960, height: 600 }, fullScreen: false },
      { kind: 'map', bounds: { x: 3840, y: 0, width: 2560, height: 1400 }, fullScreen: true },
    ],
    THREE,
    1_700_000_000_000,
  );

describe('window layouts: capture and restore against the displays there are', () => {
  it('captures which display each window is on (by its centre)', () => {
    const saved = threeMonitorLayout();
    expect(saved.windows.map((w) => [w.kind, w.displayId])).toEqual([
      ['desk', 1],
      ['video', 2],
      ['briefing', 2],
      ['map', 3],
    ]);
    expect(saved.windows[3].displayArea).toEqual(THREE[2].workArea);
  });

  it('three monitors: restored exactly as saved, full-screen kept', () => {
    const saved = threeMonitorLayout();
    const placed = restoreLayout(saved, THREE);
    expect(placed.map((p) => p.bounds)).toEqual(saved.windows.map((w) => w.bounds));
    expect(placed.every((p) => p.adjusted === null)).toBe(true);
    expect(byKind(placed).map.fullScreen).toBe(true);
    expect(byKind(placed).desk.fullScreen).toBe(false);
  });

  it('one monitor unplugged: its window moves to a remaining display, nothing off-screen', () => {
    const saved = threeMonitorLayout();
    const twoLeft = THREE.slice(0, 2);
    const placed = restoreLayout(saved, twoLeft);
    onScreen(placed, twoLeft);
    const map = byKind(placed).map;
    expect(map.adjusted).toBe('moved');
    expect([1, 2]).toContain(map.displayId);
    // 2560×1400 scaled into a 1920×1040 work area: it fills it, still full-screen.
    expect(map.bounds).toEqual({ x: map.displayId === 1 ? 0 : 1920, y: 0, width: 1920, height: 1040 });
    expect(map.fullScreen).toBe(true);
    // The others stay where they were.
    expect(byKind(placed).desk.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    expect(byKind(placed).briefing.adjusted).toBeNull();
  });

  it('two monitors: windows of the unplugged one go to the one without windows first', () => {
    const saved = captureLayout(
      'two',
      [
        { kind: 'map', bounds: { x: 1920, y: 0, width: 1920, height: 1040 }, fullScreen: false },
        { kind: 'video', bounds: { x: 2000, y: 100, width: 800, height: 600 }, fullScreen: false },
        { kind: 'desk', bounds: { x: 100, y: 100, width: 1600, height: 900 }, fullScreen: false },
      ],
      TWO,
      1,
    );
    // Monitor 2 gone, a new monitor 9 plugged in at its right: the orphans go to 9 together.
    const now = [TWO[0], monitor(9, 1920, 1280, 1024)];
    const placed = restoreLayout(saved, now);
    onScreen(placed, now);
    expect(byKind(placed).map.displayId).toBe(9);
    expect(byKind(placed).video.displayId).toBe(9);
    expect(byKind(placed).desk).toMatchObject({ displayId: 1, adjusted: null });
    // Relative place kept: the video window was at (80, 100) of 1920×1040 → (53, 98) of 1280×984.
    expect(byKind(placed).video.bounds.x).toBe(1920 + Math.round((80 * 1280) / 1920));
  });

  it('one monitor left: everything lands on it, inside its work area', () => {
    const placed = restoreLayout(threeMonitorLayout(), ONE);
    onScreen(placed, ONE);
    expect(new Set(placed.map((p) => p.displayId))).toEqual(new Set([1]));
    expect(
      placed
        .filter((p) => p.adjusted === 'moved')
        .map((p) => p.kind)
        .sort(),
    ).toEqual(['briefing', 'map', 'video']);
  });

  it('a different resolution: windows are scaled with the display and fit the smaller screen', () => {
    const saved = threeMonitorLayout();
    // The 2560×1440 monitor now runs at 1600×900 (same id, same place).
    const smaller = [THREE[0], THREE[1], monitor(3, 3840, 1600, 900)];
    const placed = restoreLayout(saved, smaller);
    onScreen(placed, smaller);
    expect(byKind(placed).map).toMatchObject({
      displayId: 3,
      adjusted: 'resized',
      fullScreen: true,
      bounds: { x: 3840, y: 0, width: 1600, height: 860 },
    });
    // And a window larger than its (unchanged-id) display is cut down to it.
    const big: SavedLayout = {
      name: 'big',
      savedAt: 1,
      windows: [
        {
          kind: 'desk',
          displayId: 1,
          displayArea: ONE[0].workArea,
          bounds: { x: -300, y: -50, width: 4000, height: 3000 },
          fullScreen: false,
        },
      ],
    };
    expect(restoreLayout(big, ONE)[0].bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('a display re-numbered after a reboot is found again by its work area', () => {
    const saved = threeMonitorLayout();
    const renumbered = THREE.map((d) => ({ ...d, id: d.id + 100 }));
    const placed = restoreLayout(saved, renumbered);
    expect(placed.map((p) => p.displayId)).toEqual([101, 102, 102, 103]);
    expect(placed.every((p) => p.adjusted === null)).toBe(true);
  });

  it('keeps one window per kind and refuses to restore onto no display', () => {
    const saved = threeMonitorLayout();
    saved.windows.push({ ...saved.windows[0], bounds: { x: 10, y: 10, width: 500, height: 400 } });
    expect(restoreLayout(saved, THREE).filter((p) => p.kind === 'desk')).toHaveLength(1);
    expect(() => restoreLayout(saved, [])).toThrow(/no display/);
  });

  it('fitInto / displayOf: clamps into an area; a rectangle off every display goes to the nearest', () => {
    // Too small → the minimum size; too far right/down → pulled back inside.
    expect(fitInto({ x: 1800, y: 900, width: 400, height: 300 }, ONE[0].workArea)).toEqual({
      x: 1440,
      y: 680,
      width: 480,
      height: 360,
    });
    expect(displayOf({ x: 9000, y: 0, width: 100, height: 100 }, THREE).id).toBe(3);
  });

  it('default layout: map, desk, video over the displays; sharing one display in columns', () => {
    const one = defaultLayout(ONE);
    onScreen(one, ONE);
    expect(one.map((p) => p.bounds.width)).toEqual([640, 640, 640]);
    const three = defaultLayout(THREE);
    expect(three.map((p) => [p.kind, p.displayId])).toEqual([
      ['map', 1],
      ['desk', 2],
      ['video', 3],
    ]);
  });
});

describe('the layouts file: named layouts per seat as JSON', () => {
  it('saves, reads back, picks the last used, deletes; unreadable files are empty', () => {
    let file = parseLayoutFile(null);
    file = withLayout(file, 'seat-a', threeMonitorLayout());
    file = withLayout(file, 'seat-a', { ...threeMonitorLayout(), name: 'night' });
    file = withLayout(file, 'seat-b', { ...threeMonitorLayout(), name: 'b' });
    const round = parseLayoutFile(JSON.stringify(file));
    expect(Object.keys(round.seats['seat-a'].layouts).sort()).toEqual(['day shift', 'night']);
    expect(layoutOf(round, 'seat-a')?.name).toBe('night');
    expect(layoutOf(round, 'seat-a', 'day shift')?.windows).toHaveLength(4);
    expect(layoutOf(round, 'seat-c')).toBeNull();
    const less = withoutLayout(round, 'seat-a', 'night');
    expect(layoutOf(less, 'seat-a')).toBeNull();
    expect(layoutOf(less, 'seat-a', 'day shift')).not.toBeNull();
    expect(parseLayoutFile('{not json')).toEqual({ version: 1, seats: {} });
    expect(
      parseLayoutFile(
        JSON.stringify({ version: 1, seats: { x: { last: null, layouts: { y: { name: 'y' } } } } }),
      ),
    ).toEqual({
      version: 1,
      seats: {},
    });
  });
});
