// The areas the map shades and outlines — towns, villages and base grids — built once from the
// reference divisions and grids. Polygons are flattened to one entry per part so deck.gl gets
// plain arrays; each entry carries its area's index, which indexes every per-area column.
import type { BBox, MultiPolygon, Position } from '../domain/geo';
import { bboxOf, centroidOf, fromGeometry } from '../domain/geo';
import type { Division, Grid } from '../protocol/entities';

export const AREA_LEVELS = ['town', 'village', 'grid'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export interface AreaPolygon {
  area: number;
  polygon: Position[][];
}
export interface AreaPath {
  area: number;
  path: Position[];
}

export interface AreaSet {
  level: AreaLevel;
  count: number;
  codes: string[];
  names: string[];
  /** lon, lat of a point inside (label anchor, fly-to target). */
  centroids: Float64Array;
  /** minLon, minLat, maxLon, maxLat per area. */
  bboxes: Float64Array;
  /** Index of the enclosing area one level up (-1 for towns, or when unknown). */
  parent: Int32Array;
  rentalUnits: Float64Array;
  residents: Float64Array;
  polygons: AreaPolygon[];
  paths: AreaPath[];
  index: Map<string, number>;
}

export interface MapAreas {
  towns: AreaSet;
  villages: AreaSet;
  grids: AreaSet;
  cityName: string;
  /** The city outline (may be missing when the seat's cache has no city geometry). */
  cityOutline: MultiPolygon | null;
  /** Bounds of the seat's scope: what the map fits to on first open. */
  scopeBBox: BBox;
}

/**
 * 岗贝社区居民委员会 → 岗贝社区, 大朗村民委员会 → 大朗村, 横沥村村民委员会 → 横沥村 (not 横沥村村):
 * the names people say.
 */
export function shortDivisionName(name: string): string {
  return name.replace(/居民委员会$/, '').replace(/村?村民委员会$/, '村');
}

/** A grid's label: its sequence in the village, e.g. 441900106001012 → 012. */
export const gridSeq = (code: string): string => code.slice(12);

function buildSet(
  level: AreaLevel,
  items: {
    code: string;
    name: string;
    geometry?: MultiPolygon | null;
    centroid?: Position;
    rental?: number;
    residents?: number;
  }[],
  parentIndex: (code: string) => number,
): AreaSet {
  const n = items.length;
  const set: AreaSet = {
    level,
    count: n,
    codes: items.map((i) => i.code),
    names: items.map((i) => i.name),
    centroids: new Float64Array(n * 2),
    bboxes: new Float64Array(n * 4),
    parent: new Int32Array(n).fill(-1),
    rentalUnits: new Float64Array(n),
    residents: new Float64Array(n),
    polygons: [],
    paths: [],
    index: new Map(items.map((i, k) => [i.code, k])),
  };
  items.forEach((item, k) => {
    const mp = item.geometry ?? null;
    if (mp && mp.length > 0) {
      const bb = bboxOf(mp);
      set.bboxes.set(bb, k * 4);
      const c = item.centroid ?? centroidOf(mp);
      set.centroids[k * 2] = c[0];
      set.centroids[k * 2 + 1] = c[1];
      for (const polygon of mp) {
        set.polygons.push({ area: k, polygon });
        for (const ring of polygon) set.paths.push({ area: k, path: ring });
      }
    } else {
      const c = item.centroid ?? [NaN, NaN];
      set.centroids[k * 2] = c[0];
      set.centroids[k * 2 + 1] = c[1];
      set.bboxes.set([c[0], c[1], c[0], c[1]], k * 4);
    }
    set.parent[k] = parentIndex(item.code);
    set.rentalUnits[k] = item.rental ?? 0;
    set.residents[k] = item.residents ?? 0;
  });
  return set;
}

const byCode = <T extends { code: string }>(a: T, b: T): number =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : 0;

export function buildAreas(
  divisions: readonly Division[],
  grids: readonly Grid[],
  scopeCode: string,
): MapAreas {
  const city = divisions.find((d) => d.level === 'city') ?? null;
  const townDivs = divisions.filter((d) => d.level === 'town').sort(byCode);
  const villageDivs = divisions.filter((d) => d.level === 'village').sort(byCode);
  const gridList = [...grids].sort(byCode);

  const towns = buildSet(
    'town',
    townDivs.map((d) => ({
      code: d.code,
      name: d.name,
      geometry: d.geometry ? fromGeometry(d.geometry) : null,
    })),
    () => -1,
  );
  const villages = buildSet(
    'village',
    villageDivs.map((d) => ({
      code: d.code,
      name: shortDivisionName(d.name),
      geometry: d.geometry ? fromGeometry(d.geometry) : null,
    })),
    (code) => towns.index.get(code.slice(0, 9)) ?? -1,
  );
  const gridSet = buildSet(
    'grid',
    gridList.map((g) => ({
      code: g.code,
      name: gridSeq(g.code),
      geometry: g.geometry ? fromGeometry(g.geometry) : null,
      centroid: g.centroid,
      rental: g.rentalUnits,
      residents: g.residents,
    })),
    (code) => villages.index.get(code.slice(0, 12)) ?? -1,
  );
  // Villages and towns sum their children's figures.
  for (let g = 0; g < gridSet.count; g++) {
    const v = gridSet.parent[g];
    if (v < 0) continue;
    villages.rentalUnits[v] += gridSet.rentalUnits[g];
    villages.residents[v] += gridSet.residents[g];
    const t = villages.parent[v];
    if (t < 0) continue;
    towns.rentalUnits[t] += gridSet.rentalUnits[g];
    towns.residents[t] += gridSet.residents[g];
  }

  const cityOutline = city?.geometry ? fromGeometry(city.geometry) : null;
  return {
    towns,
    villages,
    grids: gridSet,
    cityName: city?.name ?? '',
    cityOutline,
    scopeBBox: scopeBBoxOf({ towns, villages, grids: gridSet, cityOutline }, scopeCode),
  };
}

function unionBBox(set: AreaSet, pick: (k: number) => boolean): BBox | null {
  let bb: BBox | null = null;
  for (let k = 0; k < set.count; k++) {
    if (!pick(k)) continue;
    const [a, b, c, d] = set.bboxes.subarray(k * 4, k * 4 + 4);
    if (Number.isNaN(a)) continue;
    bb = bb ? [Math.min(bb[0], a), Math.min(bb[1], b), Math.max(bb[2], c), Math.max(bb[3], d)] : [a, b, c, d];
  }
  return bb;
}

function scopeBBoxOf(
  a: Pick<MapAreas, 'towns' | 'villages' | 'grids' | 'cityOutline'>,
  scopeCode: string,
): BBox {
  const inScope = (code: string): boolean => code.startsWith(scopeCode);
  const fromGrids = scopeCode.length >= 9 ? unionBBox(a.grids, (k) => inScope(a.grids.codes[k])) : null;
  return (
    fromGrids ??
    (a.cityOutline ? bboxOf(a.cityOutline) : null) ??
    unionBBox(a.grids, () => true) ?? [113.5, 22.6, 114.3, 23.2]
  );
}

/** The area of `level` that holds a grid (by the grid's index in `areas.grids`). */
export function areaOfGrid(areas: MapAreas, level: AreaLevel, grid: number): number {
  if (grid < 0) return -1;
  if (level === 'grid') return grid;
  const v = areas.grids.parent[grid];
  if (level === 'village' || v < 0) return v;
  return areas.villages.parent[v];
}

export function areaSet(areas: MapAreas, level: AreaLevel): AreaSet {
  return level === 'town' ? areas.towns : level === 'village' ? areas.villages : areas.grids;
}
