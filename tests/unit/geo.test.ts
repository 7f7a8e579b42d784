import { describe, expect, it } from 'vitest';

import type { MultiPolygon, Polygon, Position, Ring } from '../../src-shared/domain/geo';
import {
  clipMultiPolygonHalfPlane,
  clipPolygonHalfPlane,
  voronoiCells,
} from '../../src-shared/domain/voronoi';
import {
  AUTHALIC_RADIUS_KM,
  bboxOf,
  centroidOf,
  closeRing,
  createRng,
  fromGeometry,
  geometryAreaKm2,
  multiPolygonAreaKm2,
  normalizeMultiPolygon,
  pointInMultiPolygon,
  pointInPolygon,
  pointInRing,
  polygonAreaKm2,
  randomPointInMultiPolygon,
  ringSignedAreaDeg2,
  ringSignedAreaKm2,
  roundMultiPolygon,
  toGeometry,
} from '../../src-shared/domain/geo';

const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const DEG = Math.PI / 180;

// U shape opening upwards: two prongs joined at the bottom (x 0..3, y 0..3, notch x 1..2, y 1..3)
const U: Ring = [
  [0, 0],
  [3, 0],
  [3, 3],
  [2, 3],
  [2, 1],
  [1, 1],
  [1, 3],
  [0, 3],
];
// comb with three teeth pointing up
const COMB: Ring = [
  [0, 0],
  [5, 0],
  [5, 2],
  [4, 2],
  [4, 1],
  [3, 1],
  [3, 2],
  [2, 2],
  [2, 1],
  [1, 1],
  [1, 2],
  [0, 2],
];

/** Brute-force reference: inside the polygon and inside the half-plane a·x + b·y ≤ c. */
function checkClipAgainstBruteForce(mp: MultiPolygon, a: number, b: number, c: number, seed: string): void {
  const clipped = clipMultiPolygonHalfPlane(mp, a, b, c);
  const bb = bboxOf(mp);
  const rng = createRng(seed);
  for (let i = 0; i < 3000; i++) {
    const x = bb[0] + rng.next() * (bb[2] - bb[0]);
    const y = bb[1] + rng.next() * (bb[3] - bb[1]);
    const d = a * x + b * y - c;
    if (Math.abs(d) < 1e-9) continue;
    const want = pointInMultiPolygon(x, y, mp) && d < 0;
    expect(pointInMultiPolygon(x, y, clipped), `(${x}, ${y})`).toBe(want);
  }
  // areas add up: the part kept plus the part on the other side equal the whole
  const other = clipMultiPolygonHalfPlane(mp, -a, -b, -c);
  expect(multiPolygonAreaKm2(clipped) + multiPolygonAreaKm2(other)).toBeCloseTo(multiPolygonAreaKm2(mp), 6);
}

describe('areas', () => {
  it('uses the equal-area cylindrical projection (exact for a lon/lat rectangle)', () => {
    const r = rect(113, 22, 114, 23);
    const want = AUTHALIC_RADIUS_KM ** 2 * DEG * (Math.sin(23 * DEG) - Math.sin(22 * DEG));
    expect(ringSignedAreaKm2(r)).toBeCloseTo(want, 6);
    expect(ringSignedAreaKm2([...r].reverse())).toBeCloseTo(-want, 6);
    expect(ringSignedAreaKm2(closeRing(r))).toBeCloseTo(want, 6); // closed ring, same area
    expect(want).toBeGreaterThan(11_300);
    expect(want).toBeLessThan(11_500);
  });

  it('subtracts holes whatever their orientation', () => {
    const poly: Polygon = [rect(0, 0, 0.1, 0.1), rect(0.02, 0.02, 0.04, 0.04)];
    const outer = Math.abs(ringSignedAreaKm2(poly[0]));
    const hole = Math.abs(ringSignedAreaKm2(poly[1]));
    expect(polygonAreaKm2(poly)).toBeCloseTo(outer - hole, 9);
    expect(polygonAreaKm2([poly[0], [...poly[1]].reverse()])).toBeCloseTo(outer - hole, 9);
  });

  it('reads GeoJSON geometries', () => {
    const g = toGeometry([[rect(0, 0, 1, 1)], [rect(2, 0, 3, 1)]]);
    expect(g.type).toBe('MultiPolygon');
    expect(geometryAreaKm2(g)).toBeCloseTo(2 * ringSignedAreaKm2(rect(0, 0, 1, 1)), 6);
    expect(toGeometry([[rect(0, 0, 1, 1)]]).type).toBe('Polygon');
  });
});

describe('orientation and rounding', () => {
  it('normalises outer rings CCW and holes CW, opens closed rings', () => {
    const mp = normalizeMultiPolygon([
      [closeRing([...rect(0, 0, 4, 4)].reverse()), closeRing(rect(1, 1, 2, 2))],
    ]);
    expect(mp[0][0]).toHaveLength(4);
    expect(ringSignedAreaDeg2(mp[0][0])).toBeGreaterThan(0);
    expect(ringSignedAreaDeg2(mp[0][1])).toBeLessThan(0);
  });

  it('GeoJSON round trip closes and reopens rings', () => {
    const mp: MultiPolygon = normalizeMultiPolygon([[rect(113.1, 22.1, 113.2, 22.2)]]);
    const g = toGeometry(mp, 6);
    expect(g.type === 'Polygon' && g.coordinates[0][0]).toEqual(g.type === 'Polygon' && g.coordinates[0][4]);
    expect(fromGeometry(g)).toEqual(mp);
  });

  it('rounding drops collapsed rings and duplicate vertices', () => {
    const tiny: Ring = [
      [0, 0],
      [1e-8, 0],
      [1e-8, 1e-8],
    ];
    const mp = roundMultiPolygon([[rect(0, 0, 1, 1), tiny], [tiny]], 6);
    expect(mp).toEqual([[rect(0, 0, 1, 1)]]);
  });
});

describe('point in polygon', () => {
  it('inside, outside and holes', () => {
    const poly: Polygon = [rect(0, 0, 4, 4), rect(1, 1, 2, 2)];
    expect(pointInPolygon(0.5, 0.5, poly)).toBe(true);
    expect(pointInPolygon(1.5, 1.5, poly)).toBe(false);
    expect(pointInPolygon(5, 1, poly)).toBe(false);
    expect(pointInMultiPolygon(5.5, 0.5, [poly, [rect(5, 0, 6, 1)]])).toBe(true);
  });

  it('a point on a shared edge belongs to exactly one of the two polygons', () => {
    const left = rect(0, 0, 1, 1);
    const right = rect(1, 0, 2, 1);
    const top = rect(0, 1, 1, 2);
    for (const [x, y] of [
      [1, 0.5],
      [1, 0.123456789],
      [0.5, 1],
      [0.3, 1],
    ] as Position[]) {
      const n = [left, right, top].filter((r) => pointInRing(x, y, r)).length;
      expect(n, `(${x}, ${y})`).toBe(1);
    }
    // a slanted shared edge, traversed in opposite directions by its two polygons
    const a: Ring = [
      [0, 0],
      [0.7, 0],
      [0.3, 1],
      [0, 1],
    ];
    const b: Ring = [
      [0.7, 0],
      [1, 0],
      [1, 1],
      [0.3, 1],
    ];
    const rng = createRng('slanted');
    for (let i = 0; i < 1000; i++) {
      const t = rng.next();
      const x = 0.7 + t * (0.3 - 0.7);
      const y = t;
      expect([a, b].filter((r) => pointInRing(x, y, r)).length).toBe(1);
    }
  });
});

describe('bbox and centroid', () => {
  it('bbox over all parts', () => {
    expect(bboxOf([[rect(0, 0, 1, 1)], [rect(2, -1, 3, 0.5)]])).toEqual([0, -1, 3, 1]);
  });
  it('centroid of a square with an off-centre hole moves away from the hole', () => {
    expect(centroidOf([[rect(0, 0, 2, 2)]])).toEqual([1, 1]);
    const c = centroidOf(normalizeMultiPolygon([[rect(0, 0, 2, 2), rect(0, 0, 1, 1)]]));
    // L-shape: centroid = (3·(1,1)·4 − (0.5,0.5)·1) / 3 → (7/6, 7/6)
    expect(c[0]).toBeCloseTo(7 / 6, 12);
    expect(c[1]).toBeCloseTo(7 / 6, 12);
  });
});

describe('half-plane clipping', () => {
  it('clips a convex polygon', () => {
    const out = clipPolygonHalfPlane([rect(0, 0, 2, 2)], 1, 0, 1); // x ≤ 1
    expect(out).toHaveLength(1);
    expect(bboxOf(out)).toEqual([0, 0, 1, 2]);
    expect(ringSignedAreaDeg2(out[0][0])).toBeCloseTo(2, 12);
  });

  it('keeps or drops a polygon entirely on one side', () => {
    const p: Polygon = [rect(0, 0, 1, 1)];
    expect(clipPolygonHalfPlane(p, 1, 0, 5)).toEqual([p]);
    expect(clipPolygonHalfPlane(p, 1, 0, -5)).toEqual([]);
  });

  it('splits a concave polygon into separate parts, without bridges', () => {
    const out = clipPolygonHalfPlane([U], 0, -1, -2); // y ≥ 2: the two prongs
    expect(out).toHaveLength(2);
    const areas = out.map((p) => ringSignedAreaDeg2(p[0])).sort();
    expect(areas[0]).toBeCloseTo(1, 12);
    expect(areas[1]).toBeCloseTo(1, 12);
    for (const p of out) {
      expect(p).toHaveLength(1);
      // every vertex of a part lies on one prong: no zero-width bridge to the other
      const xs = p[0].map((q) => q[0]);
      expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(1, 12);
    }
    expect(pointInMultiPolygon(1.5, 2.5, out)).toBe(false); // the notch is not covered
    const comb = clipPolygonHalfPlane([COMB], 0, -1, -1.5); // y ≥ 1.5: three teeth
    expect(comb).toHaveLength(3);
  });

  it('cuts through a hole: the hole opens or stays as a hole', () => {
    const donut: Polygon = normalizeMultiPolygon([[rect(0, 0, 4, 4), rect(1, 1, 3, 3)]])[0];
    const c = clipPolygonHalfPlane(donut, 1, 0, 2); // x ≤ 2: a "C" shape, no hole
    expect(c).toHaveLength(1);
    expect(c[0]).toHaveLength(1);
    expect(ringSignedAreaDeg2(c[0][0])).toBeCloseTo(8 - 2, 12);
    const h = clipPolygonHalfPlane(donut, 1, 0, 3.5); // x ≤ 3.5: hole untouched
    expect(h[0]).toHaveLength(2);
    const split = clipPolygonHalfPlane(donut, 0, 1, 2); // y ≤ 2 through the hole
    expect(split).toHaveLength(1);
    expect(ringSignedAreaDeg2(split[0][0])).toBeCloseTo(8 - 2, 12);
  });

  it('handles vertices exactly on the clip line', () => {
    const diamond: Ring = [
      [1, 0],
      [2, 1],
      [1, 2],
      [0, 1],
    ];
    const out = clipPolygonHalfPlane([diamond], 1, 0, 1); // x ≤ 1, through two vertices
    expect(out).toHaveLength(1);
    expect(ringSignedAreaDeg2(out[0][0])).toBeCloseTo(1, 12);
    const touch = clipPolygonHalfPlane([U], 0, -1, -3); // y ≥ 3: only touches the prong tops
    expect(multiPolygonAreaKm2(touch)).toBe(0);
  });

  it('agrees with a brute-force reference on random lines through concave shapes with holes', () => {
    const shapes: MultiPolygon[] = [
      [[U]],
      [[COMB]],
      normalizeMultiPolygon([[rect(0, 0, 4, 4), rect(1, 1, 3, 3)], [rect(5, 0, 6, 4)]]),
      normalizeMultiPolygon([[rect(0, 0, 6, 6), rect(1, 1, 2, 5), rect(3, 1, 5, 2), rect(3, 3, 5, 5)]]),
    ];
    const rng = createRng('clip-lines');
    shapes.forEach((mp, s) => {
      for (let k = 0; k < 12; k++) {
        const ang = rng.next() * 2 * Math.PI;
        const a = Math.cos(ang);
        const b = Math.sin(ang);
        const bb = bboxOf(mp);
        const px = bb[0] + rng.next() * (bb[2] - bb[0]);
        const py = bb[1] + rng.next() * (bb[3] - bb[1]);
        checkClipAgainstBruteForce(mp, a, b, a * px + b * py, `clip-${s}-${k}`);
      }
    });
  });
});

describe('voronoiCells', () => {
  const region = normalizeMultiPolygon([[U.map(([x, y]): Position => [113 + x / 100, 22 + y / 100])]]);

  it('tiles a concave region: areas add up, each random point in exactly one cell, cells hold their sites', () => {
    const rng = createRng('voronoi');
    const sites: Position[] = [];
    while (sites.length < 25) {
      const p = randomPointInMultiPolygon(rng, region);
      if (p) sites.push(p);
    }
    const cells = voronoiCells(region, sites);
    expect(cells.reduce((s, c) => s + multiPolygonAreaKm2(c), 0)).toBeCloseTo(multiPolygonAreaKm2(region), 9);
    cells.forEach((c, i) => expect(pointInMultiPolygon(sites[i][0], sites[i][1], c)).toBe(true));
    const bb = bboxOf(region);
    for (let i = 0; i < 3000; i++) {
      const x = bb[0] + rng.next() * (bb[2] - bb[0]);
      const y = bb[1] + rng.next() * (bb[3] - bb[1]);
      const n = cells.filter((c) => pointInMultiPolygon(x, y, c)).length;
      expect(n).toBe(pointInMultiPolygon(x, y, region) ? 1 : 0);
    }
  });

  it('power weights grow a cell', () => {
    const sites: Position[] = [
      [113.005, 22.005],
      [113.025, 22.005],
    ];
    const plain = voronoiCells(region, sites);
    const weighted = voronoiCells(region, sites, { weights: [0.0001, 0] });
    expect(multiPolygonAreaKm2(weighted[0])).toBeGreaterThan(multiPolygonAreaKm2(plain[0]));
    expect(multiPolygonAreaKm2(weighted[0]) + multiPolygonAreaKm2(weighted[1])).toBeCloseTo(
      multiPolygonAreaKm2(region),
      9,
    );
  });
});

describe('seeded PRNG', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng('seed-a');
    const b = createRng('seed-a');
    const c = createRng('seed-b');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws in range with sensible moments', () => {
    const r = createRng(42);
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const n = 50_000;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) bad++;
      sum += u;
      const k = r.int(7);
      if (!(Number.isInteger(k) && k >= 0 && k < 7)) bad++;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(bad).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('random points fall inside the polygon and honour `accept` and `decimals`', () => {
    const mp: MultiPolygon = [[U]];
    const rng = createRng('pts');
    for (let i = 0; i < 200; i++) {
      const p = randomPointInMultiPolygon(rng, mp, { decimals: 3, accept: (x) => x < 2 })!;
      expect(pointInMultiPolygon(p[0], p[1], mp)).toBe(true);
      expect(p[0]).toBeLessThan(2);
      expect(Math.round(p[0] * 1000) / 1000).toBe(p[0]);
    }
    expect(randomPointInMultiPolygon(rng, mp, { accept: () => false, maxTries: 10 })).toBeNull();
  });
});
