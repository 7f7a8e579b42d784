// Point-in-grid lookups per second: PointIndex vs a naive linear scan over the same ~3,000 grid
// polygons (same run, same points). Run: npx tsx bench/point-index.ts [points]

import type { MultiPolygon } from '../src-shared/domain/geo';
import { bboxOf, createRng, pointInMultiPolygon } from '../src-shared/domain/geo';
import { PointIndex } from '../src-shared/domain/point-index';
import { buildGeography } from '../scripts/demo-data/geography';
import { loadInputs } from '../scripts/demo-data/inputs';
import { DEFAULT_SEED } from '../scripts/demo-data/generate';

const nPoints = Number(process.argv[2] ?? 1_000_000);
const geo = buildGeography(loadInputs(), DEFAULT_SEED);
const polys: MultiPolygon[] = geo.grids.map((g) => g.mp);
const t0 = performance.now();
const index = PointIndex.build(
  geo.grids.map((g) => ({ gridCode: g.code, villageCode: '', townCode: '', geometry: g.mp })),
);
const buildMs = performance.now() - t0;

// points: 90 % inside the city (uniform over the outline), 10 % anywhere in its bbox
const rng = createRng('bench/point-index');
const bb = bboxOf(geo.outline);
const xs = new Float64Array(nPoints);
const ys = new Float64Array(nPoints);
for (let i = 0; i < nPoints; i++) {
  for (;;) {
    const x = bb[0] + rng.next() * (bb[2] - bb[0]);
    const y = bb[1] + rng.next() * (bb[3] - bb[1]);
    if (i % 10 === 0 || pointInMultiPolygon(x, y, geo.outline)) {
      xs[i] = x;
      ys[i] = y;
      break;
    }
  }
}

const bboxes = polys.map((p) => bboxOf(p));
function naive(x: number, y: number): number {
  for (let g = 0; g < polys.length; g++) {
    const b = bboxes[g];
    if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
    if (pointInMultiPolygon(x, y, polys[g])) return g;
  }
  return -1;
}

function time(label: string, n: number, f: (i: number) => number): { perSec: number; sum: number } {
  let sum = 0;
  for (let i = 0; i < Math.min(n, 20_000); i++) sum += f(i); // warm-up
  sum = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) sum += f(i);
  const ms = performance.now() - t;
  const perSec = (n / ms) * 1000;
  console.log(
    `${label.padEnd(34)} ${n.toLocaleString('en').padStart(10)} lookups  ${ms.toFixed(0).padStart(6)} ms  ${Math.round(perSec).toLocaleString('en').padStart(12)} /s`,
  );
  return { perSec, sum };
}

console.log(`grids ${polys.length}, index build ${buildMs.toFixed(0)} ms, ${JSON.stringify(index.stats())}`);
const fast = time('PointIndex.lookupIndex', nPoints, (i) => index.lookupIndex(xs[i], ys[i]));
const nNaive = Math.min(nPoints, 100_000);
const slow = time('naive scan (bbox check + PIP)', nNaive, (i) => naive(xs[i], ys[i]));
let mismatches = 0;
for (let i = 0; i < nNaive; i++) if (index.lookupIndex(xs[i], ys[i]) !== naive(xs[i], ys[i])) mismatches++;
console.log(
  `ratio index/naive: ${(fast.perSec / slow.perSec).toFixed(0)}×, mismatches on ${nNaive.toLocaleString('en')} points: ${mismatches}`,
);
