// Planar/spherical geometry for the grid hierarchy: areas, point-in-polygon, half-plane
// clipping, (power-)Voronoi cells, and a seeded PRNG. Pure: no node:*, no DOM.
//
// Conventions
// - Coordinates are [lon, lat] in degrees (GeoJSON order).
// - A `Ring` may be open or closed (first point repeated last); every function here accepts
//   both, and every function that builds rings returns them OPEN. `closeRing` / `toGeometry`
//   produce GeoJSON-valid closed rings.
// - A `Polygon` is [outer, ...holes]; a `MultiPolygon` is a list of polygons. Functions that
//   build polygons orient outer rings counter-clockwise and holes clockwise (RFC 7946).
// - Areas (km²) are computed in the Lambert cylindrical equal-area projection on the authalic
//   sphere (R = 6371.0072 km): x = R·λ, y = R·sin φ, then the shoelace formula. The projection is
//   exactly equal-area; the only approximation is that edges, straight in lon/lat, are treated as
//   straight in the projection, which is negligible at city scale. The formula is a sum over
//   edges, so it is additive: cells that tile a region sum to the region's area exactly.

export type Position = [number, number];
export type Ring = Position[];
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export const AUTHALIC_RADIUS_KM = 6371.0072;
const DEG = Math.PI / 180;

// ---------------------------------------------------------------------------------------------
// Rings, orientation, area

/** Number of distinct vertices, ignoring a repeated closing point. */
export function ringLength(ring: Ring): number {
  const n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) return n - 1;
  return n;
}

/** Signed planar area in degree² (positive = counter-clockwise). For orientation only. */
export function ringSignedAreaDeg2(ring: Ring): number {
  const n = ringLength(ring);
  let s = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return s / 2;
}

/** Signed area in km² (positive = counter-clockwise), equal-area cylindrical projection. */
export function ringSignedAreaKm2(ring: Ring): number {
  const n = ringLength(ring);
  if (n < 3) return 0;
  let s = 0;
  // Shoelace on (λ, sin φ), computed relative to the first vertex for precision.
  const x0 = ring[0][0];
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xj = (ring[j][0] - x0) * DEG;
    const xi = (ring[i][0] - x0) * DEG;
    s += (xj - xi) * (Math.sin(ring[j][1] * DEG) + Math.sin(ring[i][1] * DEG));
  }
  return (s / 2) * AUTHALIC_RADIUS_KM * AUTHALIC_RADIUS_KM;
}

export function polygonAreaKm2(polygon: Polygon): number {
  if (polygon.length === 0) return 0;
  let a = Math.abs(ringSignedAreaKm2(polygon[0]));
  for (let k = 1; k < polygon.length; k++) a -= Math.abs(ringSignedAreaKm2(polygon[k]));
  return a;
}

export function multiPolygonAreaKm2(mp: MultiPolygon): number {
  let a = 0;
  for (const p of mp) a += polygonAreaKm2(p);
  return a;
}

export function geometryAreaKm2(g: AreaGeometry): number {
  return multiPolygonAreaKm2(fromGeometry(g));
}

export function openRing(ring: Ring): Ring {
  return ring.slice(0, ringLength(ring));
}

export function closeRing(ring: Ring): Ring {
  const r = openRing(ring);
  if (r.length > 0) r.push([r[0][0], r[0][1]]);
  return r;
}

/** Copies `mp` with outer rings counter-clockwise and holes clockwise; rings opened. */
export function normalizeMultiPolygon(mp: MultiPolygon): MultiPolygon {
  return mp.map((poly) =>
    poly.map((ring, k) => {
      const r = openRing(ring).map((p): Position => [p[0], p[1]]);
      const ccw = ringSignedAreaDeg2(r) > 0;
      if ((k === 0) !== ccw) r.reverse();
      return r;
    }),
  );
}

/** GeoJSON geometry → normalised MultiPolygon (open rings, RFC 7946 orientation). */
export function fromGeometry(g: AreaGeometry): MultiPolygon {
  return normalizeMultiPolygon(g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
}

/** MultiPolygon → GeoJSON geometry (closed rings); a single part becomes a Polygon. */
export function toGeometry(mp: MultiPolygon, decimals?: number): AreaGeometry {
  const round = decimals === undefined ? (v: number) => v : roundTo(decimals);
  const conv = (poly: Polygon): Position[][] =>
    poly.map((ring) => closeRing(ring).map((p): Position => [round(p[0]), round(p[1])]));
  if (mp.length === 1) return { type: 'Polygon', coordinates: conv(mp[0]) };
  return { type: 'MultiPolygon', coordinates: mp.map(conv) };
}

export function roundTo(decimals: number): (v: number) => number {
  const f = 10 ** decimals;
  return (v) => {
    const r = Math.round(v * f) / f;
    return r === 0 ? 0 : r; // no -0 in JSON
  };
}

/**
 * Rounds every vertex to `decimals` places, drops consecutive duplicates and rings that
 * collapse (< 3 distinct vertices or zero area), and polygons whose outer ring collapses.
 */
export function roundMultiPolygon(mp: MultiPolygon, decimals: number): MultiPolygon {
  const round = roundTo(decimals);
  const out: MultiPolygon = [];
  for (const poly of mp) {
    const rings: Polygon = [];
    for (let k = 0; k < poly.length; k++) {
      const r = dedupeRing(openRing(poly[k]).map((p): Position => [round(p[0]), round(p[1])]));
      if (r.length < 3 || ringSignedAreaDeg2(r) === 0) {
        if (k === 0) break;
        continue;
      }
      rings.push(r);
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

function dedupeRing(r: Ring): Ring {
  const out: Ring = [];
  for (const p of r) {
    const q = out[out.length - 1];
    if (q === undefined || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) {
    out.pop();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Point in polygon
//
// Crossing-number test with the half-open rule (an edge counts when exactly one endpoint is
// strictly above the point's latitude) and the intersection computed from the edge's lower
// endpoint, so an edge shared by two polygons is evaluated identically from both: a point on a
// shared edge belongs to exactly one of them (for a non-horizontal edge, the polygon on its
// east side). Polygons that tile a region with shared vertices therefore partition it exactly.

export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = ring[i][1];
    const yj = ring[j][1];
    if (yi > y !== yj > y) {
      let x1 = ring[i][0];
      let y1 = yi;
      let x2 = ring[j][0];
      let y2 = yj;
      if (y1 > y2) {
        const tx = x1;
        x1 = x2;
        x2 = tx;
        const ty = y1;
        y1 = y2;
        y2 = ty;
      }
      const xint = x1 + ((y - y1) * (x2 - x1)) / (y2 - y1);
      if (x < xint) inside = !inside;
    }
  }
  return inside;
}

/** Even-odd over all rings: correct for valid polygons with holes. */
export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  let inside = false;
  for (const ring of polygon) if (pointInRing(x, y, ring)) inside = !inside;
  return inside;
}

export function pointInMultiPolygon(x: number, y: number, mp: MultiPolygon): boolean {
  for (const p of mp) if (pointInPolygon(x, y, p)) return true;
  return false;
}

export function pointInGeometry(x: number, y: number, g: AreaGeometry): boolean {
  if (g.type === 'Polygon') return pointInPolygon(x, y, g.coordinates);
  return pointInMultiPolygon(x, y, g.coordinates);
}

// ---------------------------------------------------------------------------------------------
// Bounding box and centroid

export function bboxOf(mp: MultiPolygon): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of mp) {
    for (const ring of poly) {
      for (const p of ring) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Area-weighted centroid in lon/lat (planar; fine at city scale). May lie outside a concave shape. */
export function centroidOf(mp: MultiPolygon): Position {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const [x0, y0] = firstVertex(mp);
  for (const poly of mp) {
    for (let k = 0; k < poly.length; k++) {
      const ring = poly[k];
      const n = ringLength(ring);
      // outer rings count positive, holes negative, whatever their stored orientation
      const m = (k === 0 ? 1 : -1) * Math.sign(ringSignedAreaDeg2(ring));
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const xj = ring[j][0] - x0;
        const yj = ring[j][1] - y0;
        const xi = ring[i][0] - x0;
        const yi = ring[i][1] - y0;
        const f = (xj * yi - xi * yj) * m;
        a += f;
        cx += (xj + xi) * f;
        cy += (yj + yi) * f;
      }
    }
  }
  if (a === 0) return [x0, y0];
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

function firstVertex(mp: MultiPolygon): Position {
  for (const poly of mp) for (const ring of poly) if (ring.length > 0) return ring[0];
  return [0, 0];
}

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

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (sfc32 seeded by cyrb128 of a string). Never Math.random.

export interface Rng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  pick<T>(items: readonly T[]): T;
  /** Raw 32-bit unsigned output. */
  u32(): number;
}

export function hashSeed(seed: string): [number, number, number, number] {
  // cyrb128
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32 seeded from a string (or number) seed; independent streams: createRng(`${seed}/towns`). */
export function createRng(seed: string | number): Rng {
  let [a, b, c, d] = hashSeed(String(seed));
  const u32 = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) u32();
  let spare: number | null = null;
  const next = (): number => u32() / 4294967296;
  return {
    u32,
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + next() * (hi - lo),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/**
 * Uniform random point inside `mp` by rejection sampling in its bbox. `accept` can add a
 * further test (e.g. agreement with a point index). Returns null after `maxTries` misses.
 */
export function randomPointInMultiPolygon(
  rng: Rng,
  mp: MultiPolygon,
  opts: {
    bbox?: BBox;
    maxTries?: number;
    decimals?: number;
    accept?: (x: number, y: number) => boolean;
  } = {},
): Position | null {
  const bb = opts.bbox ?? bboxOf(mp);
  const round = opts.decimals === undefined ? null : roundTo(opts.decimals);
  const maxTries = opts.maxTries ?? 10_000;
  for (let t = 0; t < maxTries; t++) {
    let x = bb[0] + rng.next() * (bb[2] - bb[0]);
    let y = bb[1] + rng.next() * (bb[3] - bb[1]);
    if (round) {
      x = round(x);
      y = round(y);
    }
    if (pointInMultiPolygon(x, y, mp) && (!opts.accept || opts.accept(x, y))) return [x, y];
  }
  return null;
}
