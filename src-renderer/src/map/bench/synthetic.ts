// A synthetic city at Dongguan's scale for bench/map.ts: a lattice of base grids grouped into
// villages and towns, officers, video points, open cases and managed places as typed columns.
// Deterministic (seeded), generated in the page so nothing large crosses the test harness.
import type { MapCases, MapPlaces, MapSnapshot, PositionBatch } from '../../../../src-shared/ipc/map-data';
import type { Division, Grid } from '../../../../src-shared/protocol/entities';

export interface SyntheticCity {
  divisions: Division[];
  grids: Grid[];
  snapshot: MapSnapshot;
}

export interface SyntheticSizes {
  gridCols: number;
  gridRows: number;
  officers: number;
  cameras: number;
  cases: number;
}

export const DONGGUAN_SIZES: SyntheticSizes = {
  gridCols: 60,
  gridRows: 50,
  officers: 10_000,
  cameras: 15_000,
  cases: 30_000,
};

const BBOX = [113.52, 22.65, 114.25, 23.15] as const;

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][][] => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ],
];

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export function syntheticCity(sizes: SyntheticSizes = DONGGUAN_SIZES, seed = 2026): SyntheticCity {
  const random = rng(seed);
  const { gridCols: C, gridRows: R } = sizes;
  const dx = (BBOX[2] - BBOX[0]) / C;
  const dy = (BBOX[3] - BBOX[1]) / R;
  // Towns are 10×10 grid blocks, villages 2×3 blocks inside them.
  const townOf = (c: number, r: number): number =>
    Math.floor(r / 10) * Math.ceil(C / 10) + Math.floor(c / 10);
  const villageOf = (c: number, r: number): number => Math.floor((r % 10) / 3) * 5 + Math.floor((c % 10) / 2);
  const townCode = (t: number): string => `4419${pad(t + 100, 5)}`;
  const villageCode = (t: number, v: number): string => `${townCode(t)}${pad(v + 1, 3)}`;
  const grids: Grid[] = [];
  const seq = new Map<string, number>();
  const towns = new Map<number, [number, number, number, number]>();
  const villages = new Map<string, [number, number, number, number]>();
  const grow = (
    bb: [number, number, number, number] | undefined,
    x0: number,
    y0: number,
    x1: number,
    y1: number,
  ) =>
    bb
      ? ([Math.min(bb[0], x0), Math.min(bb[1], y0), Math.max(bb[2], x1), Math.max(bb[3], y1)] as [
          number,
          number,
          number,
          number,
        ])
      : ([x0, y0, x1, y1] as [number, number, number, number]);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const t = townOf(c, r);
      const v = villageCode(t, villageOf(c, r));
      const k = (seq.get(v) ?? 0) + 1;
      seq.set(v, k);
      const x0 = BBOX[0] + c * dx;
      const y0 = BBOX[3] - (r + 1) * dy;
      grids.push({
        code: `${v}${pad(k, 3)}`,
        villageCode: v,
        townCode: townCode(t),
        centroid: [x0 + dx / 2, y0 + dy / 2],
        rentalUnits: 200 + Math.floor(random() * 800),
        residents: 1000,
        geometry: { type: 'Polygon', coordinates: rect(x0, y0, x0 + dx, y0 + dy) },
      });
      towns.set(t, grow(towns.get(t), x0, y0, x0 + dx, y0 + dy));
      villages.set(v, grow(villages.get(v), x0, y0, x0 + dx, y0 + dy));
    }
  }
  const divisions: Division[] = [
    {
      code: '4419',
      level: 'city',
      name: '东莞市',
      parentCode: null,
      geometry: { type: 'Polygon', coordinates: rect(...BBOX) },
    },
    ...[...towns].map(([t, bb]): Division => ({
      code: townCode(t),
      level: 'town',
      name: `镇街${t + 1}`,
      parentCode: '4419',
      geometry: { type: 'Polygon', coordinates: rect(...bb) },
    })),
    ...[...villages].map(([code, bb]): Division => ({
      code,
      level: 'village',
      name: `村居${code.slice(-5)}`,
      parentCode: code.slice(0, 9),
      geometry: { type: 'Polygon', coordinates: rect(...bb) },
    })),
  ];
  grids.sort((a, b) => (a.code < b.code ? -1 : 1));
  const gridCodes = grids.map((g) => g.code);
  const now = Date.now();
  const point = (i: number, lon: Float64Array, lat: Float64Array, grid: Uint16Array): void => {
    const g = Math.floor(random() * grids.length);
    const [cx, cy] = grids[g].centroid;
    lon[i] = cx + (random() - 0.5) * dx;
    lat[i] = cy + (random() - 0.5) * dy;
    grid[i] = g;
  };

  const n = sizes.officers;
  const officers = {
    count: n,
    ids: Array.from({ length: n }, (_, i) => `OF${pad(i, 5)}`),
    names: Array.from({ length: n }, (_, i) => `网格员${i}`),
    numbers: Array.from({ length: n }, (_, i) => `DG${pad(i, 8)}`),
    kind: new Uint8Array(n),
    homeGrid: new Uint16Array(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    status: Uint8Array.from({ length: n }, () => Math.floor(random() * 4)),
    heading: Float32Array.from({ length: n }, () => random() * 360),
    fixAt: new Float64Array(n).fill(now),
  };
  for (let i = 0; i < n; i++) point(i, officers.lon, officers.lat, officers.homeGrid);

  const m = sizes.cameras;
  const cameras = {
    count: m,
    ids: Array.from({ length: m }, (_, i) => `CAM${pad(i, 6)}`),
    names: Array.from({ length: m }, (_, i) => `视频点位${i}`),
    lon: new Float64Array(m),
    lat: new Float64Array(m),
    online: Uint8Array.from({ length: m }, () => (random() < 0.95 ? 1 : 0)),
    direction: new Float32Array(m).fill(NaN),
    grid: new Uint16Array(m),
  };
  for (let i = 0; i < m; i++) point(i, cameras.lon, cameras.lat, cameras.grid);

  const k = sizes.cases;
  const cases: MapCases = {
    count: k,
    ids: Array.from({ length: k }, (_, i) => `C${i}`),
    numbers: Array.from({ length: k }, (_, i) => `DG20261207-101-${String(i + 1).padStart(4, '0')}`),
    lon: new Float64Array(k),
    lat: new Float64Array(k),
    state: Uint8Array.from({ length: k }, () => Math.floor(random() * 7)),
    priority: Uint8Array.from({ length: k }, () => (random() < 0.05 ? 0 : random() < 0.2 ? 1 : 2)),
    category: new Uint16Array(k),
    grid: new Uint16Array(k),
    reportedAt: Float64Array.from({ length: k }, () => now - 3_600_000 - random() * 86_400_000 * 7),
    dueAt: Float64Array.from({ length: k }, () => now + (random() - 0.3) * 86_400_000),
    pending: new Uint8Array(k),
  };
  for (let i = 0; i < k; i++) point(i, cases.lon, cases.lat, cases.grid);

  return {
    divisions,
    grids,
    snapshot: {
      version: 1,
      scopeCode: '4419',
      gridCodes,
      categoryCodes: ['01001'],
      cases,
      officers,
      cameras,
    },
  };
}

/** `rounds` position batches moving every officer a few metres, prepared before timing. */
export function syntheticBatches(snapshot: MapSnapshot, rounds: number, seed = 7): PositionBatch[] {
  const random = rng(seed);
  const o = snapshot.officers;
  const n = o.count;
  const lon = Float64Array.from(o.lon);
  const lat = Float64Array.from(o.lat);
  const out: PositionBatch[] = [];
  const start = Date.now();
  for (let r = 0; r < rounds; r++) {
    const b: PositionBatch = {
      version: snapshot.version,
      count: n,
      index: Uint32Array.from({ length: n }, (_, i) => i),
      lon: new Float64Array(n),
      lat: new Float64Array(n),
      status: new Uint8Array(n),
      heading: new Float32Array(n),
      fixAt: new Float64Array(n).fill(start + (r + 1) * 1000),
    };
    for (let i = 0; i < n; i++) {
      lon[i] += (random() - 0.5) * 0.0004;
      lat[i] += (random() - 0.5) * 0.0004;
      b.lon[i] = lon[i];
      b.lat[i] = lat[i];
      b.status[i] = random() < 0.9 ? o.status[i] : Math.floor(random() * 6);
      b.heading[i] = random() * 360;
    }
    out.push(b);
  }
  return out;
}

/** A million managed places spread over the city (rentals by tier, small venues). */
export function syntheticPlaces(count: number, seed = 11): MapPlaces {
  const random = rng(seed);
  const lon = new Float32Array(count);
  const lat = new Float32Array(count);
  const kind = new Uint8Array(count);
  const tier = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    lon[i] = BBOX[0] + random() * (BBOX[2] - BBOX[0]);
    lat[i] = BBOX[1] + random() * (BBOX[3] - BBOX[1]);
    kind[i] = random() < 0.6 ? 1 : 0;
    tier[i] = kind[i] === 1 ? 255 : Math.floor(random() * 4);
  }
  return {
    count,
    id: Uint32Array.from({ length: count }, (_, i) => i),
    lon,
    lat,
    kind,
    tier,
    subkind: new Uint8Array(count),
    units: new Uint16Array(count),
    grid: new Uint16Array(count),
    lastInspectionDay: new Uint16Array(count),
    gridCodes: [],
    checkedAt: Date.now(),
    offline: false,
  };
}
