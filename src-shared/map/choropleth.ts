// Area shading: one figure per town, village or grid, binned into five classes. Pure: takes
// the columns and returns the figures, the class breaks and the fill colours as bytes.
import type { MapSnapshot } from '../ipc/map-data';
import { MAP_OFFICER_STATUSES } from '../ipc/map-data';
import { areaOfGrid, areaSet, type AreaLevel, type MapAreas } from './areas';
import { LOST_MS } from './officer-buffers';
import { RAMP_ALPHA, RAMP_BAD, RAMP_GOOD, type Rgb } from './palette';

export const CHOROPLETH_MODES = ['none', 'open', 'overdue', 'perRental', 'onDuty'] as const;
export type ChoroplethMode = (typeof CHOROPLETH_MODES)[number];

export interface Choropleth {
  mode: ChoroplethMode;
  level: AreaLevel;
  /** Figure per area; NaN where it means nothing (no rental units, no officers planned). */
  values: Float64Array;
  /** Upper bounds of the first four classes (the fifth is open-ended). */
  breaks: number[];
  /** rgba per area; alpha 0 = not shaded. */
  colors: Uint8Array;
  ramp: readonly Rgb[];
}

const ON_DUTY = new Set(
  (['patrol', 'handling', 'on_duty', 'sos'] as const).map((s) => MAP_OFFICER_STATUSES.indexOf(s)),
);

/** Index of each snapshot grid in areas.grids (-1 when the areas do not know it). */
export function snapshotGridMap(snapshot: MapSnapshot, areas: MapAreas): Int32Array {
  return Int32Array.from(snapshot.gridCodes, (code) => areas.grids.index.get(code) ?? -1);
}

/** Quantile breaks over the non-zero finite values, strictly increasing. */
export function quantileBreaks(values: Float64Array): number[] {
  const v = Array.from(values).filter((x) => Number.isFinite(x) && x > 0);
  if (v.length === 0) return [];
  v.sort((a, b) => a - b);
  const out: number[] = [];
  for (const q of [0.2, 0.4, 0.6, 0.8]) {
    const x = v[Math.min(v.length - 1, Math.floor(q * v.length))];
    if (out.length === 0 || x > out[out.length - 1]) out.push(x);
  }
  return out;
}

export function classOf(value: number, breaks: readonly number[]): number {
  let k = 0;
  while (k < breaks.length && value > breaks[k]) k++;
  return Math.min(k, 4);
}

export function computeChoropleth(
  mode: ChoroplethMode,
  level: AreaLevel,
  areas: MapAreas,
  snapshot: MapSnapshot,
  gridMap: Int32Array,
  now: number,
): Choropleth {
  const set = areaSet(areas, level);
  const n = set.count;
  const values = new Float64Array(n);
  const colors = new Uint8Array(n * 4);
  const ramp = mode === 'onDuty' ? RAMP_GOOD : RAMP_BAD;
  if (mode === 'none') return { mode, level, values, breaks: [], colors, ramp };

  const areaOfSnapshotGrid = (g: number): number =>
    g < gridMap.length ? areaOfGrid(areas, level, gridMap[g]) : -1;

  if (mode === 'open' || mode === 'overdue' || mode === 'perRental') {
    const c = snapshot.cases;
    for (let i = 0; i < c.count; i++) {
      if (mode === 'overdue' && !(c.dueAt[i] < now)) continue;
      const a = areaOfSnapshotGrid(c.grid[i]);
      if (a >= 0) values[a]++;
    }
    if (mode === 'perRental') {
      for (let a = 0; a < n; a++)
        values[a] = set.rentalUnits[a] > 0 ? (values[a] * 1000) / set.rentalUnits[a] : NaN;
    }
  } else {
    const o = snapshot.officers;
    const planned = new Float64Array(n);
    for (let i = 0; i < o.count; i++) {
      const a = areaOfSnapshotGrid(o.homeGrid[i]);
      if (a < 0) continue;
      planned[a]++;
      if (ON_DUTY.has(o.status[i]) && now - o.fixAt[i] < LOST_MS) values[a]++;
    }
    for (let a = 0; a < n; a++) values[a] = planned[a] > 0 ? values[a] / planned[a] : NaN;
  }

  const breaks = mode === 'onDuty' ? [0.2, 0.4, 0.6, 0.8] : quantileBreaks(values);
  for (let a = 0; a < n; a++) {
    const v = values[a];
    const shaded = mode === 'onDuty' ? Number.isFinite(v) : Number.isFinite(v) && v > 0;
    if (!shaded) continue;
    const k = mode === 'onDuty' ? classOf(v, breaks) : rampIndex(classOf(v, breaks), breaks.length);
    const rgb = ramp[k];
    colors.set([rgb[0], rgb[1], rgb[2], mode === 'onDuty' ? RAMP_ALPHA[2] : RAMP_ALPHA[k]], a * 4);
  }
  return { mode, level, values, breaks, colors, ramp };
}

/** With fewer than four breaks (few distinct values) spread the classes over the whole ramp. */
function rampIndex(k: number, nBreaks: number): number {
  if (nBreaks >= 4) return k;
  return nBreaks === 0 ? 4 : Math.round((k * 4) / nBreaks);
}
