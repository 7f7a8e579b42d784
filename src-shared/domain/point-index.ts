// Point-in-grid index: (lon, lat) → the base grid that contains it (DOMAIN.md: "every point
// resolves to exactly one grid by point-in-polygon"). Pure; used by the simulator, bulk ingest
// and the demo-data generator.
//
// Layout: all rings of all grids flattened into one Float64Array; a uniform bucket grid over the
// bbox of all polygons. Each bucket is either
//   - "solid": no polygon's boundary reaches it and it lies inside exactly one polygon → answer
//     without any point-in-polygon test; or
//   - a short candidate list (CSR arrays) of the polygons whose edges reach it, tested in
//     ascending grid index with the same crossing-number rule as geo.ts `pointInRing`.
// Edges are marked in every bucket they pass through (tested against the bucket rectangle grown
// by a small slack, so the marking is conservative). For polygons that do not overlap — a
// tessellation — the answer equals a brute-force scan for "the polygon that contains the point";
// for overlapping input it is one of the polygons that contain it.

import type { AreaGeometry, MultiPolygon } from './geo';
import { fromGeometry } from './geo';

export interface GridPolygonInput {
  gridCode: string;
  villageCode: string;
  townCode: string;
  /** GeoJSON geometry or a MultiPolygon (holes allowed; rings open or closed). */
  geometry: AreaGeometry | MultiPolygon;
}

export interface GridRef {
  readonly gridCode: string;
  readonly villageCode: string;
  readonly townCode: string;
}

export interface PointIndexOptions {
  /** Approximate number of buckets; default 64 per polygon (min 1,024, max 4M). */
  buckets?: number;
}

export class PointIndex {
  readonly size: number;
  private readonly refs: readonly GridRef[];
  private readonly coords: Float64Array; // x0,y0,x1,y1,… of every ring, open (no closing point)
  private readonly ringStart: Int32Array; // point offset of ring r; ringStart[r+1] is its end
  private readonly gridRingStart: Int32Array; // ring offset of grid g; length size+1
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly invW: number;
  private readonly invH: number;
  private readonly solid: Int32Array; // grid index or -1
  private readonly bucketStart: Int32Array; // CSR offsets into cand; length nx*ny+1
  private readonly cand: Int32Array;

  private constructor(grids: readonly GridPolygonInput[], opts: PointIndexOptions) {
    this.size = grids.length;
    this.refs = grids.map((g) =>
      Object.freeze({ gridCode: g.gridCode, villageCode: g.villageCode, townCode: g.townCode }),
    );
    // flatten
    const mps: MultiPolygon[] = grids.map((g) =>
      Array.isArray(g.geometry) ? g.geometry : fromGeometry(g.geometry),
    );
    let nPts = 0;
    let nRings = 0;
    for (const mp of mps) {
      for (const poly of mp) {
        for (const ring of poly) {
          nRings++;
          nPts += openLength(ring);
        }
      }
    }
    this.coords = new Float64Array(nPts * 2);
    this.ringStart = new Int32Array(nRings + 1);
    this.gridRingStart = new Int32Array(grids.length + 1);
    const gbb = new Float64Array(grids.length * 4);
    let p = 0;
    let r = 0;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let g = 0; g < mps.length; g++) {
      this.gridRingStart[g] = r;
      let gx0 = Infinity;
      let gy0 = Infinity;
      let gx1 = -Infinity;
      let gy1 = -Infinity;
      for (const poly of mps[g]) {
        for (const ring of poly) {
          this.ringStart[r++] = p;
          const n = openLength(ring);
          for (let i = 0; i < n; i++) {
            const x = ring[i][0];
            const y = ring[i][1];
            this.coords[2 * p] = x;
            this.coords[2 * p + 1] = y;
            p++;
            if (x < gx0) gx0 = x;
            if (x > gx1) gx1 = x;
            if (y < gy0) gy0 = y;
            if (y > gy1) gy1 = y;
          }
        }
      }
      gbb[4 * g] = gx0;
      gbb[4 * g + 1] = gy0;
      gbb[4 * g + 2] = gx1;
      gbb[4 * g + 3] = gy1;
      if (gx0 < minX) minX = gx0;
      if (gy0 < minY) minY = gy0;
      if (gx1 > maxX) maxX = gx1;
      if (gy1 > maxY) maxY = gy1;
    }
    this.ringStart[r] = p;
    this.gridRingStart[grids.length] = r;
    if (!(minX <= maxX)) {
      minX = minY = 0;
      maxX = maxY = 1;
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    const target = Math.min(4_000_000, Math.max(1024, opts.buckets ?? 64 * grids.length));
    const w = maxX - minX || 1e-9;
    const h = maxY - minY || 1e-9;
    const side = Math.sqrt((w * h) / target);
    this.nx = Math.max(1, Math.ceil(w / side));
    this.ny = Math.max(1, Math.ceil(h / side));
    this.invW = this.nx / w;
    this.invH = this.ny / h;
    const nb = this.nx * this.ny;
    this.solid = new Int32Array(nb).fill(-1);

    // Mark buckets touched by each grid's edges; unmarked buckets inside its bbox are solid if
    // their centre is inside.
    const stamp = new Int32Array(nb).fill(-1);
    const counts = new Int32Array(nb + 1);
    let pairB: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
    let pairG: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
    let nPairs = 0;
    for (let g = 0; g < grids.length; g++) {
      for (let rr = this.gridRingStart[g]; rr < this.gridRingStart[g + 1]; rr++) {
        const s = this.ringStart[rr];
        const e = this.ringStart[rr + 1];
        for (let i = s, j = e - 1; i < e; j = i++) {
          const x1 = this.coords[2 * i];
          const y1 = this.coords[2 * i + 1];
          const x2 = this.coords[2 * j];
          const y2 = this.coords[2 * j + 1];
          const bx0 = this.bx(Math.min(x1, x2));
          const bx1 = this.bx(Math.max(x1, x2));
          const by0 = this.by(Math.min(y1, y2));
          const by1 = this.by(Math.max(y1, y2));
          const thin = bx0 === bx1 || by0 === by1;
          const dx = x2 - x1;
          const dy = y2 - y1;
          for (let by = by0; by <= by1; by++) {
            for (let bx = bx0; bx <= bx1; bx++) {
              const b = by * this.nx + bx;
              if (stamp[b] === g) continue;
              if (!thin) {
                // skip buckets the segment misses: all four corners of the bucket (grown by
                // EPS to absorb rounding of the bucket formula) strictly on one side of its line
                const rx0 = minX + bx / this.invW - EPS;
                const rx1 = minX + (bx + 1) / this.invW + EPS;
                const ry0 = minY + by / this.invH - EPS;
                const ry1 = minY + (by + 1) / this.invH + EPS;
                const c1 = dx * (ry0 - y1) - dy * (rx0 - x1);
                const c2 = dx * (ry0 - y1) - dy * (rx1 - x1);
                const c3 = dx * (ry1 - y1) - dy * (rx0 - x1);
                const c4 = dx * (ry1 - y1) - dy * (rx1 - x1);
                if ((c1 > 0 && c2 > 0 && c3 > 0 && c4 > 0) || (c1 < 0 && c2 < 0 && c3 < 0 && c4 < 0))
                  continue;
              }
              stamp[b] = g;
              if (nPairs === pairB.length) {
                pairB = grow(pairB);
                pairG = grow(pairG);
              }
              pairB[nPairs] = b;
              pairG[nPairs] = g;
              nPairs++;
              counts[b + 1]++;
            }
          }
        }
      }
      const bx0 = this.bx(gbb[4 * g]);
      const bx1 = this.bx(gbb[4 * g + 2]);
      const by0 = this.by(gbb[4 * g + 1]);
      const by1 = this.by(gbb[4 * g + 3]);
      for (let by = by0; by <= by1; by++) {
        for (let bx = bx0; bx <= bx1; bx++) {
          const b = by * this.nx + bx;
          if (stamp[b] === g) continue;
          const cx = minX + (bx + 0.5) / this.invW;
          const cy = minY + (by + 0.5) / this.invH;
          if (this.contains(g, cx, cy)) this.solid[b] = g;
        }
      }
    }
    for (let b = 0; b < nb; b++) counts[b + 1] += counts[b];
    this.bucketStart = counts;
    this.cand = new Int32Array(nPairs);
    const fill = counts.slice(0, nb);
    for (let k = 0; k < nPairs; k++) this.cand[fill[pairB[k]]++] = pairG[k];
    // A bucket can be solid for one polygon and still list candidates whose edges pass near
    // it (the edge test is conservative); for polygons that do not overlap, none of those
    // candidates contains a point of the bucket, so the solid answer stands.
  }

  static build(grids: readonly GridPolygonInput[], opts: PointIndexOptions = {}): PointIndex {
    return new PointIndex(grids, opts);
  }

  private bx(x: number): number {
    const i = Math.floor((x - this.minX) * this.invW);
    return i < 0 ? 0 : i >= this.nx ? this.nx - 1 : i;
  }

  private by(y: number): number {
    const i = Math.floor((y - this.minY) * this.invH);
    return i < 0 ? 0 : i >= this.ny ? this.ny - 1 : i;
  }

  /** Index (input order) of the grid containing the point, or -1. The hot path: no allocation. */
  lookupIndex(lon: number, lat: number): number {
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return -1;
    let bx = Math.floor((lon - this.minX) * this.invW);
    if (bx >= this.nx) bx = this.nx - 1;
    let by = Math.floor((lat - this.minY) * this.invH);
    if (by >= this.ny) by = this.ny - 1;
    const b = by * this.nx + bx;
    const s = this.solid[b];
    if (s >= 0) return s;
    const end = this.bucketStart[b + 1];
    for (let k = this.bucketStart[b]; k < end; k++) {
      const g = this.cand[k];
      if (this.contains(g, lon, lat)) return g;
    }
    return -1;
  }

  lookup(lon: number, lat: number): GridRef | null {
    const g = this.lookupIndex(lon, lat);
    return g < 0 ? null : this.refs[g];
  }

  ref(index: number): GridRef {
    return this.refs[index];
  }

  /** Point-in-polygon against one grid (even-odd over all its rings), same rule as geo.ts. */
  contains(g: number, x: number, y: number): boolean {
    const c = this.coords;
    let inside = false;
    const r1 = this.gridRingStart[g + 1];
    for (let r = this.gridRingStart[g]; r < r1; r++) {
      const s = this.ringStart[r];
      const e = this.ringStart[r + 1];
      for (let i = s, j = e - 1; i < e; j = i++) {
        const yi = c[2 * i + 1];
        const yj = c[2 * j + 1];
        if (yi > y !== yj > y) {
          const xint =
            yi < yj
              ? c[2 * i] + ((y - yi) * (c[2 * j] - c[2 * i])) / (yj - yi)
              : c[2 * j] + ((y - yj) * (c[2 * i] - c[2 * j])) / (yi - yj);
          if (x < xint) inside = !inside;
        }
      }
    }
    return inside;
  }

  /** Diagnostics for benchmarks and tests. */
  stats(): { buckets: number; solidBuckets: number; candidateEntries: number; maxCandidates: number } {
    let solid = 0;
    let max = 0;
    const nb = this.nx * this.ny;
    for (let b = 0; b < nb; b++) {
      if (this.solid[b] >= 0) solid++;
      max = Math.max(max, this.bucketStart[b + 1] - this.bucketStart[b]);
    }
    return { buckets: nb, solidBuckets: solid, candidateEntries: this.cand.length, maxCandidates: max };
  }
}

/** Slack (degrees) added to bucket rectangles when deciding which buckets an edge touches. */
const EPS = 1e-9;

function openLength(ring: readonly (readonly number[])[]): number {
  const n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) return n - 1;
  return n;
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
