// Planar/spherical geometry for the grid hierarchy: areas, point-in-polygon, bounding boxes,
// centroids and random points. Half-plane clipping and (power-)Voronoi cells are in voronoi.ts,
// the seeded PRNG in rng.ts (re-exported here). Pure: no node:*, no DOM.
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

import type { Rng } from './rng';

export { createRng, hashSeed, type Rng } from './rng';

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

/** The ring without repeated consecutive points or closing point (also used by voronoi.ts). */
export function dedupeRing(r: Ring): Ring {
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
