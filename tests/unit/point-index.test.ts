import { describe, expect, it } from 'vitest';

import type { MultiPolygon, Position, Ring } from '../../src-shared/domain/geo';
import { voronoiCells } from '../../src-shared/domain/voronoi';
import {
  bboxOf,
  closeRing,
  createRng,
  normalizeMultiPolygon,
  pointInMultiPolygon,
  randomPointInMultiPolygon,
  toGeometry,
} from '../../src-shared/domain/geo';
import type { GridPolygonInput } from '../../src-shared/domain/point-index';
import { PointIndex } from '../../src-shared/domain/point-index';

const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const grid = (code: string, mp: MultiPolygon): GridPolygonInput => ({
  gridCode: code,
  villageCode: code.slice(0, 12),
  townCode: code.slice(0, 9),
  geometry: mp,
});

describe('PointIndex basics', () => {
  const squares = PointIndex.build([
    grid('441900106001001', [[rect(113, 22, 113.01, 22.01)]]),
    grid('441900106001002', [[rect(113.01, 22, 113.02, 22.01)]]),
    grid('441900106002001', [[rect(113, 22.01, 113.02, 22.02)]]),
  ]);

  it('resolves interior points with their codes', () => {
    expect(squares.lookup(113.005, 22.005)).toEqual({
      gridCode: '441900106001001',
      villageCode: '441900106001',
      townCode: '441900106',
    });
    expect(squares.lookupIndex(113.015, 22.005)).toBe(1);
    expect(squares.lookupIndex(113.015, 22.015)).toBe(2);
  });

  it('returns null / -1 outside every polygon', () => {
    expect(squares.lookup(112.9, 22.005)).toBeNull();
    expect(squares.lookupIndex(113.5, 23)).toBe(-1);
    expect(squares.lookupIndex(Number.NaN, 22)).toBe(-1);
  });

  it('boundary points resolve to exactly one grid', () => {
    // shared vertical edge → the east polygon; shared horizontal edge → the north polygon
    expect(squares.lookupIndex(113.01, 22.005)).toBe(1);
    expect(squares.lookupIndex(113.005, 22.01)).toBe(2);
    // a vertex shared by three grids
    expect(squares.lookupIndex(113.01, 22.01)).toBeGreaterThanOrEqual(0);
  });

  it('accepts GeoJSON geometries with closed rings', () => {
    const idx = PointIndex.build([
      {
        gridCode: 'a',
        villageCode: 'v',
        townCode: 't',
        geometry: toGeometry([[closeRing(rect(0, 0, 1, 1))]]),
      },
    ]);
    expect(idx.lookup(0.5, 0.5)?.gridCode).toBe('a');
    expect(idx.lookup(1.5, 0.5)).toBeNull();
  });
});

describe('exact partition of a tiling with shared edges', () => {
  it('every lattice point of a 20×20 checkerboard of squares resolves to exactly one square', () => {
    const n = 20;
    const cells: MultiPolygon[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) cells.push([[rect(i / 10, j / 10, (i + 1) / 10, (j + 1) / 10)]]);
    const idx = PointIndex.build(cells.map((c, k) => grid(String(k), c)));
    for (let i = 0; i <= 4 * n; i++) {
      for (let j = 0; j <= 4 * n; j++) {
        const x = i / 40;
        const y = j / 40;
        const hits = cells.filter((c) => pointInMultiPolygon(x, y, c)).length;
        const inside = x < 2 && y < 2; // the east and north borders are outside (half-open rule)
        expect(hits).toBe(inside ? 1 : 0);
        expect(idx.lookupIndex(x, y) >= 0).toBe(inside);
      }
    }
  });
});

describe('holes and multi-part grids', () => {
  const donut = normalizeMultiPolygon([[rect(0, 0, 3, 3), rect(1, 1, 2, 2)]]);
  const filler: MultiPolygon = [[rect(1, 1, 2, 2)]];
  const twoParts: MultiPolygon = [[rect(4, 0, 5, 1)], [rect(4, 2, 5, 3)]];
  const idx = PointIndex.build([grid('A', donut), grid('B', filler), grid('C', twoParts)], { buckets: 64 });

  it('a point in a hole belongs to the grid filling the hole', () => {
    expect(idx.lookup(1.5, 1.5)?.gridCode).toBe('B');
    expect(idx.lookup(0.5, 1.5)?.gridCode).toBe('A');
    expect(idx.lookup(2.5, 2.5)?.gridCode).toBe('A');
  });

  it('both parts of a MultiPolygon resolve to it, the gap between them to nothing', () => {
    expect(idx.lookup(4.5, 0.5)?.gridCode).toBe('C');
    expect(idx.lookup(4.5, 2.5)?.gridCode).toBe('C');
    expect(idx.lookup(4.5, 1.5)).toBeNull();
  });
});

describe('agreement with a brute-force scan', () => {
  // a concave region tessellated into 300 Voronoi cells, some multi-part
  const region = normalizeMultiPolygon([
    [
      [
        [113.5, 22.6],
        [114.2, 22.6],
        [114.2, 23.1],
        [113.9, 23.1],
        [113.9, 22.75],
        [113.8, 22.75],
        [113.8, 23.1],
        [113.5, 23.1],
      ],
      rect(114.0, 22.8, 114.1, 22.9).reverse(),
    ],
  ]);
  const rng = createRng('point-index-test');
  const sites: Position[] = [];
  while (sites.length < 300) sites.push(randomPointInMultiPolygon(rng, region)!);
  const cells = voronoiCells(region, sites);
  const idx = PointIndex.build(cells.map((c, i) => grid(String(i), c)));
  const brute = (x: number, y: number) => cells.findIndex((c) => pointInMultiPolygon(x, y, c));

  it('random points in and around the region', () => {
    const bb = bboxOf(region);
    let mismatches = 0;
    let inside = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = bb[0] - 0.05 + rng.next() * (bb[2] - bb[0] + 0.1);
      const y = bb[1] - 0.05 + rng.next() * (bb[3] - bb[1] + 0.1);
      const want = brute(x, y);
      if (idx.lookupIndex(x, y) !== want) mismatches++;
      if (want >= 0) inside++;
    }
    expect(mismatches).toBe(0);
    expect(inside).toBeGreaterThan(10_000);
  });

  // Cells computed separately do not share bit-identical edges, so a point on an edge may lie in
  // two of them by a rounding error; the index must still give the brute-force answer.
  it('points on cell edges and vertices: same answer as brute force', () => {
    let checked = 0;
    for (const c of cells) {
      for (const poly of c) {
        for (const ring of poly) {
          for (let i = 0; i < ring.length; i++) {
            const p = ring[i];
            const q = ring[(i + 1) % ring.length];
            for (const t of [0, 0.5, 0.25]) {
              const x = p[0] + t * (q[0] - p[0]);
              const y = p[1] + t * (q[1] - p[1]);
              expect(idx.lookupIndex(x, y), `(${x}, ${y})`).toBe(brute(x, y));
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('reports its layout', () => {
    const s = idx.stats();
    expect(s.buckets).toBeGreaterThan(1000);
    expect(s.solidBuckets).toBeGreaterThan(0);
    expect(idx.size).toBe(300);
  });
});
