// The city view: below POINT_ZOOM the map does not draw ~10,000 officers and thousands (or tens
// of thousands) of case dots one by one, it draws one figure per town or village — how many
// cases are open there, how many of them are overdue, how many officers are on duty. Counted
// per jurisdiction (not hexbins or a heat blur) because a dispatcher calls a town, not a
// hexagon, and because a count reads the same whether the city has 3,000 open cases or 80,000.
// Pure: columns in, counts out.
import type { MapSnapshot } from '../ipc/map-data';
import { MAP_OFFICER_STATUSES } from '../ipc/map-data';
import { areaOfGrid, areaSet, type AreaLevel, type MapAreas } from './areas';
import { LOST_MS } from './officer-buffers';
import { POINT_ZOOM, VILLAGE_ZOOM } from './zoom-rules';

/** What the map draws at a zoom: one figure per town, per village, or every point. */
export type DrawMode = 'town' | 'village' | 'points';

export function drawModeForZoom(zoom: number): DrawMode {
  return zoom >= POINT_ZOOM ? 'points' : zoom < VILLAGE_ZOOM ? 'town' : 'village';
}

export interface AreaCounts {
  level: Exclude<AreaLevel, 'grid'>;
  /** Open cases per area (cases whose grid the areas do not know are left out). */
  cases: Uint32Array;
  /** Of those, past their handling deadline at `now`. */
  overdue: Uint32Array;
  /** Officers at work (patrol, handling, on duty, SOS) with a fix younger than LOST_MS, by home grid. */
  onDuty: Uint32Array;
  /** The largest case count of any area (the bubble scale's top). */
  maxCases: number;
}

const ON_DUTY = new Set(
  (['patrol', 'handling', 'on_duty', 'sos'] as const).map((s) => MAP_OFFICER_STATUSES.indexOf(s)),
);

export function countByArea(
  level: AreaCounts['level'],
  areas: MapAreas,
  snapshot: MapSnapshot,
  gridMap: Int32Array,
  now: number,
): AreaCounts {
  const n = areaSet(areas, level).count;
  const cases = new Uint32Array(n);
  const overdue = new Uint32Array(n);
  const onDuty = new Uint32Array(n);
  const areaOf = (g: number): number => (g < gridMap.length ? areaOfGrid(areas, level, gridMap[g]) : -1);
  const c = snapshot.cases;
  for (let i = 0; i < c.count; i++) {
    const a = areaOf(c.grid[i]);
    if (a < 0) continue;
    cases[a]++;
    if (c.dueAt[i] < now) overdue[a]++;
  }
  const o = snapshot.officers;
  for (let i = 0; i < o.count; i++) {
    if (!ON_DUTY.has(o.status[i]) || !(now - o.fixAt[i] < LOST_MS)) continue;
    const a = areaOf(o.homeGrid[i]);
    if (a >= 0) onDuty[a]++;
  }
  let maxCases = 0;
  for (let a = 0; a < n; a++) if (cases[a] > maxCases) maxCases = cases[a];
  return { level, cases, overdue, onDuty, maxCases };
}

/** Overdue share from which an area's bubble is drawn as a problem area, and as a serious one. */
export const OVERDUE_WARN = 0.1;
export const OVERDUE_BAD = 0.3;

/** 0 = few overdue, 1 = ≥ OVERDUE_WARN overdue, 2 = ≥ OVERDUE_BAD overdue. */
export function overdueClass(cases: number, overdue: number): 0 | 1 | 2 {
  if (cases === 0) return 0;
  const share = overdue / cases;
  return share >= OVERDUE_BAD ? 2 : share >= OVERDUE_WARN ? 1 : 0;
}

/** Bubble radius in pixels: area grows with the count (radius with its square root). */
export function bubbleRadius(cases: number, maxCases: number, level: AreaCounts['level']): number {
  const [lo, hi] = level === 'town' ? [7, 30] : [4, 16];
  if (cases <= 0 || maxCases <= 0) return 0;
  return lo + (hi - lo) * Math.sqrt(cases / maxCases);
}
