// Sampling helpers for the generator: alias tables, exact apportioning, points in grids.

import type { Rng } from '../../src-shared/domain/geo';
import type { Geography } from './geography';

/** Walker/Vose alias table: O(1) draws from a discrete distribution. */
export class AliasTable {
  readonly n: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    this.n = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i];
    if (!(sum > 0)) throw new Error('AliasTable: weights must have a positive sum');
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / sum;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(rng: Rng): number {
    const u = rng.next() * this.n;
    const i = Math.floor(u);
    return u - i < this.prob[i] ? i : this.alias[i];
  }
}

/** Splits `total` into integer parts proportional to `weights` (largest remainder; ties by index). */
export function apportion(total: number, weights: ArrayLike<number>): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i];
  if (n === 0 || !(sum > 0)) return out;
  const rem = new Float64Array(n);
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const exact = (total * weights[i]) / sum;
    out[i] = Math.floor(exact);
    rem[i] = exact - out[i];
    assigned += out[i];
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rem[b] - rem[a] || a - b);
  for (let k = 0; assigned < total; k++, assigned++) out[order[k % n]]++;
  return out;
}

/** Log-normal multiplier with median 1. */
export function lognormal(rng: Rng, sigma: number): number {
  return Math.exp(sigma * rng.normal());
}

export const MICRO = 1e6;

/**
 * Draws a point inside grid `g` on the micro-degree lattice, accepted only if the point index
 * resolves it to `g` (so the claim "this point lies in grid g" holds for every reader that uses
 * lon = value / 1e6). Writes micro-degrees into out[0], out[1].
 */
export function samplePointInGrid(geo: Geography, g: number, rng: Rng, out: Int32Array): void {
  const bb = geo.grids[g].bbox;
  const x0 = bb[0];
  const y0 = bb[1];
  const w = bb[2] - bb[0];
  const h = bb[3] - bb[1];
  for (let t = 0; t < 100_000; t++) {
    const x = Math.round((x0 + rng.next() * w) * MICRO);
    const y = Math.round((y0 + rng.next() * h) * MICRO);
    if (geo.index.lookupIndex(x / MICRO, y / MICRO) === g) {
      out[0] = x;
      out[1] = y;
      return;
    }
  }
  throw new Error(`could not sample a point in grid ${geo.grids[g].code}`);
}
