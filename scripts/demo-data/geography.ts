// The synthetic tessellation: towns (power diagram with seeds at the real town centres, areas
// weighted by village count) → villages (Voronoi inside each town) → base grids (Voronoi inside
// each village, 3–8 per village by population) — all clipped to the real city outline, so the
// cells tile it without overlaps or gaps. Deterministic from the seed.

import type { BBox, MultiPolygon, Position, Rng } from '../../src-shared/domain/geo';
import { voronoiCells } from '../../src-shared/domain/voronoi';
import {
  bboxOf,
  centroidOf,
  createRng,
  multiPolygonAreaKm2,
  pointInMultiPolygon,
  randomPointInMultiPolygon,
  roundMultiPolygon,
} from '../../src-shared/domain/geo';
import { PointIndex } from '../../src-shared/domain/point-index';
import type { TownKind, VillageKind } from '../../src-shared/dataset/types';
import type { DivisionRow, Inputs } from './inputs';
import { InputError } from './inputs';

/** Approximate real town centres (lon, lat), keyed by the 3-digit town-level code. */
export const TOWN_CENTRES: Readonly<Record<string, { short: string; at: Position }>> = {
  '003': { short: '东城', at: [113.78, 23.02] },
  '004': { short: '南城', at: [113.73, 22.99] },
  '005': { short: '万江', at: [113.7, 23.05] },
  '006': { short: '莞城', at: [113.752, 23.045] },
  '101': { short: '石碣', at: [113.8, 23.1] },
  '102': { short: '石龙', at: [113.85, 23.11] },
  '103': { short: '茶山', at: [113.88, 23.07] },
  '104': { short: '石排', at: [113.94, 23.08] },
  '105': { short: '企石', at: [114.03, 23.07] },
  '106': { short: '横沥', at: [114.03, 23.03] },
  '107': { short: '桥头', at: [114.09, 23.02] },
  '108': { short: '谢岗', at: [114.14, 22.96] },
  '109': { short: '东坑', at: [113.96, 23.0] },
  '110': { short: '常平', at: [114.0, 22.97] },
  '111': { short: '寮步', at: [113.87, 22.99] },
  '112': { short: '樟木头', at: [114.07, 22.91] },
  '113': { short: '大朗', at: [113.93, 22.93] },
  '114': { short: '黄江', at: [113.99, 22.87] },
  '115': { short: '清溪', at: [114.15, 22.84] },
  '116': { short: '塘厦', at: [114.07, 22.8] },
  '117': { short: '凤岗', at: [114.14, 22.74] },
  '118': { short: '大岭山', at: [113.78, 22.89] },
  '119': { short: '长安', at: [113.8, 22.81] },
  '121': { short: '虎门', at: [113.67, 22.83] },
  '122': { short: '厚街', at: [113.68, 22.93] },
  '123': { short: '沙田', at: [113.6, 22.91] },
  '124': { short: '道滘', at: [113.67, 23.0] },
  '125': { short: '洪梅', at: [113.6, 22.99] },
  '126': { short: '麻涌', at: [113.58, 23.05] },
  '127': { short: '望牛墩', at: [113.65, 23.05] },
  '128': { short: '中堂', at: [113.65, 23.09] },
  '129': { short: '高埗', at: [113.73, 23.08] },
  '401': { short: '松山湖', at: [113.88, 22.93] },
  '402': { short: '东莞港', at: [113.62, 22.86] },
  '403': { short: '生态园', at: [113.86, 23.03] },
  '404': { short: '滨海湾', at: [113.68, 22.78] },
};

/** Town area weight = village count + this, so the one-village special zones are not slivers. */
export const TOWN_AREA_WEIGHT_FLOOR = 4;
export const COORD_DECIMALS = 6;

export const GRID_NUMBERING_RULE =
  'Inside each village, grids are numbered 001… by rows from north to south and west to east within a row: ' +
  'with n grids and the village bbox [minLon, minLat, maxLon, maxLat], rows = max(1, round(sqrt(n))), ' +
  'h = (maxLat − minLat) / rows, row = min(rows − 1, floor((maxLat − centroidLat) / h)); ' +
  'grids are sorted by (row ascending, centroid lon ascending, centroid lat descending). ' +
  'Villages inside a town follow the same rule for the assignment of their official codes to the cells.';

export interface TownGeo {
  row: DivisionRow;
  index: number;
  kind: TownKind;
  short: string;
  seed: Position;
  mp: MultiPolygon; // rounded to 1e-6
  areaKm2: number;
  centroid: Position;
  density: number; // residents per km² (synthetic)
}

export interface VillageGeo {
  row: DivisionRow;
  index: number;
  townIndex: number;
  kind: VillageKind;
  shortName: string;
  mp: MultiPolygon;
  areaKm2: number;
  centroid: Position;
  population: number;
  gridCount: number;
}

export interface GridGeo {
  index: number;
  code: string;
  seq: number;
  villageIndex: number;
  townIndex: number;
  mp: MultiPolygon;
  bbox: BBox;
  areaKm2: number;
  centroid: Position;
}

export interface Geography {
  outline: MultiPolygon;
  outlineAreaKm2: number;
  towns: TownGeo[];
  villages: VillageGeo[];
  grids: GridGeo[]; // sorted by code; index = position
  index: PointIndex;
}

export interface GeographyOptions {
  /** Total number of base grids to aim for (default 3,050; the result lands within a few). */
  gridTarget?: number;
}

export function townKind(code: string): TownKind {
  const n = Number(code.slice(6, 9));
  return n < 100 ? 'street' : n < 400 ? 'town' : 'zone';
}

export function villageShortName(name: string): string {
  // 唐洪村村民委员会 → 唐洪村, 岗贝社区居民委员会 → 岗贝社区
  const village = /^(.*?)村?村民委员会$/.exec(name);
  if (village) return `${village[1]}村`;
  return name.replace(/居民委员会$/, '').replace(/委员会$/, '');
}

export function buildGeography(inputs: Inputs, seed: string, opts: GeographyOptions = {}): Geography {
  const gridTarget = opts.gridTarget ?? 3050;
  const outline = inputs.outline;
  const outlineAreaKm2 = multiPolygonAreaKm2(outline);

  // ---- towns: power diagram with fixed seeds, weights fitted to the target areas
  const townRng = createRng(`${seed}/towns`);
  const villagesByTown = new Map<string, DivisionRow[]>();
  for (const v of inputs.villages) {
    const list = villagesByTown.get(v.parentCode) ?? [];
    list.push(v);
    villagesByTown.set(v.parentCode, list);
  }
  const insidePool = samplePool(townRng, outline, 4000);
  const seeds: Position[] = inputs.towns.map((t) => {
    const c = TOWN_CENTRES[t.code.slice(6)];
    if (!c || !t.name.includes(c.short.slice(0, 2))) {
      throw new InputError(`no town centre for ${t.code} ${t.name}`);
    }
    return moveInside(c.at, outline, insidePool);
  });
  const weightsRaw = inputs.towns.map(
    (t) => (villagesByTown.get(t.code)?.length ?? 0) + TOWN_AREA_WEIGHT_FLOOR,
  );
  const wsum = weightsRaw.reduce((a, b) => a + b, 0);
  const targets = weightsRaw.map((w) => (outlineAreaKm2 * w) / wsum);
  const townCells = fitPowerDiagram(outline, seeds, targets);

  const towns: TownGeo[] = inputs.towns.map((row, i) => {
    const mp = roundMultiPolygon(townCells[i], COORD_DECIMALS);
    if (mp.length === 0) throw new Error(`town ${row.code} came out empty`);
    const kind = townKind(row.code);
    const base = kind === 'street' ? 5200 : kind === 'town' ? 3800 : 1200;
    return {
      row,
      index: i,
      kind,
      short: TOWN_CENTRES[row.code.slice(6)].short,
      seed: seeds[i],
      mp,
      areaKm2: multiPolygonAreaKm2(mp),
      centroid: centroidOf(mp),
      density: base * Math.exp(0.3 * townRng.normal()),
    };
  });

  // ---- villages: Voronoi inside each town, seeds relaxed by Lloyd iterations
  const villages: VillageGeo[] = [];
  const villageCells: MultiPolygon[] = [];
  for (const town of towns) {
    const rows = villagesByTown.get(town.row.code) ?? [];
    const region = townCells[town.index];
    const rng = createRng(`${seed}/villages/${town.row.code}`);
    const cells = relaxedVoronoi(rng, region, rows.length, 3);
    const rounded = cells.map((c) => roundMultiPolygon(c, COORD_DECIMALS));
    const order = numberingOrder(
      rounded.map((c) => centroidOf(c)),
      bboxOf(town.mp),
    );
    order.forEach((cellIdx, k) => {
      const row = rows[k];
      const cell = cells[cellIdx];
      const mp = rounded[cellIdx];
      if (mp.length === 0) throw new Error(`village ${row.code} came out empty`);
      const areaKm2 = multiPolygonAreaKm2(mp);
      villages.push({
        row,
        index: -1,
        townIndex: town.index,
        kind: row.name.includes('村民委员会') ? 'village' : 'community',
        shortName: villageShortName(row.name),
        mp,
        areaKm2,
        centroid: centroidOf(mp),
        population: Math.round(areaKm2 * town.density * Math.exp(0.45 * rng.normal())),
        gridCount: 0,
      });
      villageCells.push(cell);
    });
  }
  // sort villages by code, keep their cells aligned
  const vOrder = villages
    .map((_, i) => i)
    .sort((a, b) => villages[a].row.code.localeCompare(villages[b].row.code));
  const villagesSorted = vOrder.map((i, k) => ({ ...villages[i], index: k }));
  const villageCellsSorted = vOrder.map((i) => villageCells[i]);

  // ---- grids per village: ∝ population, clamped to 3..8, scaled to hit the target total
  assignGridCounts(villagesSorted, gridTarget);

  const grids: GridGeo[] = [];
  for (const v of villagesSorted) {
    const rng = createRng(`${seed}/grids/${v.row.code}`);
    const region = villageCellsSorted[v.index];
    const cells = relaxedVoronoi(rng, region, v.gridCount, 2);
    const rounded = cells.map((c) => roundMultiPolygon(c, COORD_DECIMALS));
    const cents = rounded.map((c) => centroidOf(c));
    const order = numberingOrder(cents, bboxOf(v.mp));
    order.forEach((cellIdx, k) => {
      const mp = rounded[cellIdx];
      if (mp.length === 0) throw new Error(`grid ${k + 1} of village ${v.row.code} came out empty`);
      const seq = k + 1;
      grids.push({
        index: -1,
        code: v.row.code + String(seq).padStart(3, '0'),
        seq,
        villageIndex: v.index,
        townIndex: v.townIndex,
        mp,
        bbox: bboxOf(mp),
        areaKm2: multiPolygonAreaKm2(mp),
        centroid: cents[cellIdx],
      });
    });
  }
  grids.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  grids.forEach((g, i) => (g.index = i));

  const index = PointIndex.build(
    grids.map((g) => ({
      gridCode: g.code,
      villageCode: villagesSorted[g.villageIndex].row.code,
      townCode: towns[g.townIndex].row.code,
      geometry: g.mp,
    })),
  );
  return {
    outline,
    outlineAreaKm2,
    towns,
    villages: villagesSorted,
    grids,
    index,
  };
}

/** Cells of `n` sites in `region`, sites drawn uniformly then moved to their cell centroids `iterations` times. */
function relaxedVoronoi(rng: Rng, region: MultiPolygon, n: number, iterations: number): MultiPolygon[] {
  if (n === 1) return [region];
  const bb = bboxOf(region);
  let sites: Position[] = [];
  for (let i = 0; i < n; i++) {
    const p = randomPointInMultiPolygon(rng, region, { bbox: bb });
    if (!p) throw new Error('region too thin to place sites');
    sites.push(p);
  }
  let cells = voronoiCells(region, sites);
  for (let it = 0; it < iterations; it++) {
    sites = sites.map((s, i) => {
      if (cells[i].length === 0) return s;
      const c = centroidOf(cells[i]);
      return pointInMultiPolygon(c[0], c[1], region) ? c : s;
    });
    cells = voronoiCells(region, sites);
  }
  // plain Voronoi cells of distinct sites inside the region always contain their site
  cells.forEach((c, i) => {
    if (c.length === 0) throw new Error(`empty Voronoi cell ${i}`);
  });
  return cells;
}

/** Indices of `centroids` in numbering order (see GRID_NUMBERING_RULE). */
export function numberingOrder(centroids: readonly Position[], bb: BBox): number[] {
  const n = centroids.length;
  const rows = Math.max(1, Math.round(Math.sqrt(n)));
  const h = (bb[3] - bb[1]) / rows || 1;
  const rowOf = (p: Position) => Math.min(rows - 1, Math.max(0, Math.floor((bb[3] - p[1]) / h)));
  return centroids
    .map((_, i) => i)
    .sort((a, b) => {
      const pa = centroids[a];
      const pb = centroids[b];
      return rowOf(pa) - rowOf(pb) || pa[0] - pb[0] || pb[1] - pa[1] || a - b;
    });
}

function assignGridCounts(villages: VillageGeo[], target: number): void {
  const count = (per: number) =>
    villages.reduce((s, v) => s + Math.min(8, Math.max(3, Math.round(v.population / per))), 0);
  let lo = 1;
  let hi = 1e7;
  for (let it = 0; it < 100; it++) {
    const mid = Math.sqrt(lo * hi);
    if (count(mid) > target) lo = mid;
    else hi = mid;
  }
  const per = Math.abs(count(lo) - target) < Math.abs(count(hi) - target) ? lo : hi;
  for (const v of villages) v.gridCount = Math.min(8, Math.max(3, Math.round(v.population / per)));
}

/** Power weights fitted so each cell's area approaches its target (gradient steps on the weights). */
function fitPowerDiagram(region: MultiPolygon, sites: Position[], targetsKm2: number[]): MultiPolygon[] {
  const n = sites.length;
  const bb = bboxOf(region);
  const k = Math.cos((((bb[1] + bb[3]) / 2) * Math.PI) / 180);
  // km² → scaled-plane degree² (the unit of the weights)
  const toDeg2 = 1 / (111.195 * 111.195);
  const w = new Float64Array(n);
  // Projected gradient ascent on the (concave) transport dual: ∂/∂w_i = target_i − area_i.
  // 40 steps get within ~1% (L1) of what the seed constraint allows.
  const eta = 0.3;
  const iters = 40;
  let cells = voronoiCells(region, sites, { weights: w, xScale: k });
  for (let it = 0; it < iters; it++) {
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const d = targetsKm2[i] - multiPolygonAreaKm2(cells[i]);
      worst = Math.max(worst, Math.abs(d) / targetsKm2[i]);
      w[i] += eta * d * toDeg2;
    }
    keepSeedsInside(w, sites, k);
    if (worst < 0.02) break;
    cells = voronoiCells(region, sites, { weights: w, xScale: k });
  }
  return cells;
}

/**
 * A power cell contains its own site iff w_j − w_i ≤ |p_i − p_j|² for every j. Exact area targets
 * would push seeds out of their own towns (the four city-centre streets sit 3–5 km apart but are
 * meant to have 8–30 villages each; the one-village zones sit between big towns), so the weights
 * are projected back onto |w_i − w_j| ≤ 0.8·|p_i − p_j|²: each town keeps its real centre inside
 * it, and the areas follow the village-count targets as far as that allows.
 */
function keepSeedsInside(w: Float64Array, sites: Position[], k: number): void {
  const n = sites.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const d2 = k * k * (sites[i][0] - sites[j][0]) ** 2 + (sites[i][1] - sites[j][1]) ** 2;
        const excess = w[j] - w[i] - 0.8 * d2;
        if (excess > 0) {
          w[j] -= excess / 2;
          w[i] += excess / 2;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
}

function samplePool(rng: Rng, mp: MultiPolygon, n: number): Position[] {
  const out: Position[] = [];
  const bb = bboxOf(mp);
  while (out.length < n) {
    const p = randomPointInMultiPolygon(rng, mp, { bbox: bb });
    if (p) out.push(p);
  }
  return out;
}

function moveInside(p: Position, mp: MultiPolygon, pool: Position[]): Position {
  if (pointInMultiPolygon(p[0], p[1], mp)) return [p[0], p[1]];
  let best = pool[0];
  let bestD = Infinity;
  for (const q of pool) {
    const d = (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = q;
    }
  }
  return [Math.round(best[0] * 1e6) / 1e6, Math.round(best[1] * 1e6) / 1e6];
}
