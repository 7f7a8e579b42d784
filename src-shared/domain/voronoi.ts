// Half-plane clipping that splits a polygon into its separate parts, and (power-)Voronoi cells
// clipped to a region (the demo city's grids). Conventions as in geo.ts. Pure: no node:*, no DOM.
import {
  bboxOf,
  dedupeRing,
  pointInRing,
  ringLength,
  ringSignedAreaDeg2,
  type MultiPolygon,
  type Polygon,
  type Position,
  type Ring,
} from './geo';

// ---------------------------------------------------------------------------------------------
// Half-plane clipping that splits into separate parts
//
// Keeps the part of each polygon where a·x + b·y ≤ c. Sutherland–Hodgman would return one ring
// with zero-width "bridges" along the clip line when a concave polygon falls apart; here every
// ring is cut into chains that run inside the half-plane, the chains' entry and exit points are
// sorted along the clip line, and consecutive points are paired into bridges (inside-ness
// alternates at each crossing). Following chain → bridge → chain yields the separate parts,
// which are then re-assembled with the untouched rings into polygons with holes.
// Vertices exactly on the line count as inside. Inputs must be normalised (outer CCW, holes CW).

interface Chain {
  pts: Ring;
  entryT: number;
  exitT: number;
  next: number; // index of the chain that follows after the bridge
}

export function clipMultiPolygonHalfPlane(mp: MultiPolygon, a: number, b: number, c: number): MultiPolygon {
  const out: MultiPolygon = [];
  for (const poly of mp) {
    for (const part of clipPolygonHalfPlane(poly, a, b, c)) out.push(part);
  }
  return out;
}

export function clipPolygonHalfPlane(poly: Polygon, a: number, b: number, c: number): MultiPolygon {
  const outer = poly[0];
  let anyOut = false;
  let anyIn = false;
  for (const ring of poly) {
    for (const p of ring) {
      if (a * p[0] + b * p[1] - c > 0) anyOut = true;
      else anyIn = true;
    }
  }
  if (!anyOut) return [poly];
  if (!anyIn) return [];
  let outerAllOut = true;
  for (const p of outer) {
    if (a * p[0] + b * p[1] - c <= 0) {
      outerAllOut = false;
      break;
    }
  }
  if (outerAllOut) return [];

  const keptRings: Ring[] = [];
  const chains: Chain[] = [];
  for (const ring of poly) {
    const n = ringLength(ring);
    if (n < 3) continue;
    const d = new Float64Array(n);
    let nOut = 0;
    for (let i = 0; i < n; i++) {
      d[i] = a * ring[i][0] + b * ring[i][1] - c;
      if (d[i] > 0) nOut++;
    }
    if (nOut === 0) {
      keptRings.push(ring.slice(0, n));
      continue;
    }
    if (nOut === n) continue;
    // start just after an outside vertex so every chain is complete within one pass
    let start = 0;
    while (d[start] <= 0) start++;
    let cur: Ring | null = null;
    let curEntry = 0;
    for (let s = 1; s <= n; s++) {
      const i = (start + s) % n;
      const j = (start + s - 1) % n;
      const pin = d[i] <= 0;
      const qin = d[j] <= 0;
      if (pin && !qin) {
        const e = intersect(ring[j], ring[i], d[j], d[i]);
        cur = [e];
        curEntry = -b * e[0] + a * e[1];
        pushDistinct(cur, ring[i]);
      } else if (pin && qin) {
        if (cur !== null) pushDistinct(cur, ring[i]);
      } else if (!pin && qin) {
        const x = intersect(ring[j], ring[i], d[j], d[i]);
        if (cur !== null) {
          pushDistinct(cur, x);
          chains.push({ pts: cur, entryT: curEntry, exitT: -b * x[0] + a * x[1], next: -1 });
        }
        cur = null;
      }
    }
  }

  if (chains.length > 0) {
    // Crossing points sorted along the line direction (-b, a); pair (0,1), (2,3), …
    const m = chains.length;
    const pts: { t: number; chain: number; isExit: boolean }[] = [];
    for (let k = 0; k < m; k++) {
      pts.push({ t: chains[k].entryT, chain: k, isExit: false });
      pts.push({ t: chains[k].exitT, chain: k, isExit: true });
    }
    pts.sort((p, q) => p.t - q.t || Number(q.isExit) - Number(p.isExit) || p.chain - q.chain);
    for (let k = 0; k + 1 < pts.length; k += 2) {
      const p = pts[k];
      const q = pts[k + 1];
      if (p.isExit && !q.isExit) chains[p.chain].next = q.chain;
      else if (q.isExit && !p.isExit) chains[q.chain].next = p.chain;
      else {
        // Degenerate tie (two exits or two entries paired): fall back to pairing each exit
        // with the nearest unused entry along the line.
        return fallbackRings(chains, keptRings);
      }
    }
    const used = new Uint8Array(m);
    for (let k = 0; k < m; k++) {
      if (used[k]) continue;
      const ring: Ring = [];
      let cur = k;
      let guard = 0;
      while (!used[cur] && guard++ <= m) {
        used[cur] = 1;
        for (const p of chains[cur].pts) pushDistinct(ring, p);
        cur = chains[cur].next;
        if (cur < 0) break;
      }
      const r = dedupeRing(ring);
      if (r.length >= 3 && ringSignedAreaDeg2(r) !== 0) keptRings.push(r);
    }
  }
  return assemble(keptRings);
}

function fallbackRings(chains: Chain[], keptRings: Ring[]): MultiPolygon {
  const m = chains.length;
  const entryUsed = new Uint8Array(m);
  const order = chains.map((_, k) => k).sort((p, q) => chains[p].entryT - chains[q].entryT);
  for (let k = 0; k < m; k++) {
    let best = -1;
    let bestD = Infinity;
    for (const e of order) {
      if (entryUsed[e]) continue;
      const dd = Math.abs(chains[e].entryT - chains[k].exitT);
      if (dd < bestD) {
        bestD = dd;
        best = e;
      }
    }
    entryUsed[best] = 1;
    chains[k].next = best;
  }
  const used = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    if (used[k]) continue;
    const ring: Ring = [];
    let cur = k;
    while (cur >= 0 && !used[cur]) {
      used[cur] = 1;
      for (const p of chains[cur].pts) pushDistinct(ring, p);
      cur = chains[cur].next;
    }
    const r = dedupeRing(ring);
    if (r.length >= 3 && ringSignedAreaDeg2(r) !== 0) keptRings.push(r);
  }
  return assemble(keptRings);
}

/** Rings of mixed orientation → polygons: CCW rings are outers, CW rings holes of the smallest outer containing them. */
function assemble(rings: Ring[]): MultiPolygon {
  const outers: { ring: Ring; area: number; holes: Ring[] }[] = [];
  const holes: Ring[] = [];
  for (const r of rings) {
    const s = ringSignedAreaDeg2(r);
    if (s > 0) outers.push({ ring: r, area: s, holes: [] });
    else if (s < 0) holes.push(r);
  }
  if (outers.length === 0) return [];
  if (outers.length === 1) return [[outers[0].ring, ...holes]];
  const bySize = [...outers].sort((p, q) => p.area - q.area);
  for (const h of holes) {
    const probe = ringInteriorProbe(h);
    const owner = bySize.find((o) => pointInRing(probe[0], probe[1], o.ring)) ?? bySize[bySize.length - 1];
    owner.holes.push(h);
  }
  return outers.map((o) => [o.ring, ...o.holes]);
}

/** A point just inside the hole ring near its first edge's midpoint (on the hole's interior side). */
function ringInteriorProbe(r: Ring): Position {
  const p = r[0];
  const q = r[1 % r.length];
  const mx = (p[0] + q[0]) / 2;
  const my = (p[1] + q[1]) / 2;
  // hole rings are CW: their interior (the hole) is on the right; the polygon is on the left.
  // Any point of the hole boundary's neighbourhood works for ownership; step slightly to the left.
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const len = Math.hypot(dx, dy) || 1;
  const eps = 1e-9;
  return [mx - (dy / len) * eps, my + (dx / len) * eps];
}

function intersect(p: Position, q: Position, dp: number, dq: number): Position {
  const t = dp / (dp - dq);
  if (t <= 0) return [p[0], p[1]];
  if (t >= 1) return [q[0], q[1]];
  return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
}

function pushDistinct(r: Ring, p: Position): void {
  const q = r[r.length - 1];
  if (q === undefined || q[0] !== p[0] || q[1] !== p[1]) r.push([p[0], p[1]]);
}

// ---------------------------------------------------------------------------------------------
// (Power-)Voronoi cells clipped to a region

export interface VoronoiOptions {
  /** Power weights (distance² in the scaled plane); default all 0 = plain Voronoi. */
  weights?: ArrayLike<number>;
  /** Metric scale of longitude (default cos of the region's mean latitude) so cells are round on the ground. */
  xScale?: number;
}

/**
 * Cell of each site inside `region` (normalised MultiPolygon): the points closer (in power
 * distance) to that site than to any other. Cells tile the region without overlaps or gaps;
 * a cell is empty ([]) only for a power diagram whose weights starve it, or if its site lies
 * outside the region and every point of the region is closer to another site.
 */
export function voronoiCells(
  region: MultiPolygon,
  sites: Position[],
  opts: VoronoiOptions = {},
): MultiPolygon[] {
  const n = sites.length;
  const bb = bboxOf(region);
  const k = opts.xScale ?? Math.cos((((bb[1] + bb[3]) / 2) * Math.PI) / 180);
  const k2 = k * k;
  const ox = (bb[0] + bb[2]) / 2;
  const oy = (bb[1] + bb[3]) / 2;
  const w = opts.weights;
  const cells: MultiPolygon[] = [];
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sx[i] = sites[i][0] - ox;
    sy[i] = sites[i][1] - oy;
  }
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) order[j] = j;
    const dist = (j: number) => k2 * (sx[j] - sx[i]) ** 2 + (sy[j] - sy[i]) ** 2;
    order.sort((p, q) => dist(p) - dist(q) || p - q);
    let cell = region;
    for (const j of order) {
      if (j === i) continue;
      // |q-pi|² - wi ≤ |q-pj|² - wj  ⇔  2k²(xj-xi)·x + 2(yj-yi)·y ≤ k²(xj²-xi²) + (yj²-yi²) - wj + wi
      // in coordinates relative to (ox, oy)
      const a = 2 * k2 * (sx[j] - sx[i]);
      const b = 2 * (sy[j] - sy[i]);
      if (a === 0 && b === 0) continue; // coincident sites: the lower index keeps the cell
      let c = k2 * (sx[j] * sx[j] - sx[i] * sx[i]) + (sy[j] * sy[j] - sy[i] * sy[i]);
      if (w) c += w[i] - w[j];
      cell = clipMultiPolygonHalfPlane(cell, a, b, c + a * ox + b * oy);
      if (cell.length === 0) break;
    }
    cells.push(cell);
  }
  // coincident sites: give the cell to the lower index only
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (sites[i][0] === sites[j][0] && sites[i][1] === sites[j][1] && (!w || w[i] === w[j])) {
        cells[i] = [];
        break;
      }
    }
  }
  return cells;
}
