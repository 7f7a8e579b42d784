// The case detail's small location inset and nearby cameras, pure: a grid polygon and the case's
// point projected into an SVG box (equirectangular, scaled by cos(lat) — exact enough at grid
// size), and the cameras nearest the case.
import type { AreaGeometry, Camera } from '../protocol/entities';
import { distanceM } from './recommend';

export interface Inset {
  /** SVG path `d` of the polygon's rings. */
  path: string;
  point: [number, number];
  width: number;
  height: number;
}

export function insetOf(
  geometry: AreaGeometry | undefined,
  lon: number,
  lat: number,
  size = 160,
  pad = 8,
): Inset {
  const rings: [number, number][][] = [];
  if (geometry?.type === 'Polygon') rings.push(...geometry.coordinates);
  if (geometry?.type === 'MultiPolygon') for (const p of geometry.coordinates) rings.push(...p);
  let w = lon;
  let e = lon;
  let s = lat;
  let n = lat;
  for (const ring of rings)
    for (const [x, y] of ring) {
      w = Math.min(w, x);
      e = Math.max(e, x);
      s = Math.min(s, y);
      n = Math.max(n, y);
    }
  const k = Math.cos(((s + n) / 2) * (Math.PI / 180));
  const spanX = Math.max((e - w) * k, 1e-5);
  const spanY = Math.max(n - s, 1e-5);
  const scale = (size - 2 * pad) / Math.max(spanX, spanY);
  const px = (x: number): number => pad + (x - w) * k * scale;
  const py = (y: number): number => pad + (n - y) * scale;
  const path = rings
    .map(
      (ring) =>
        ring.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('') +
        'Z',
    )
    .join('');
  return {
    path,
    point: [px(lon), py(lat)],
    width: Math.ceil(spanX * scale + 2 * pad),
    height: Math.ceil(spanY * scale + 2 * pad),
  };
}

export interface NearbyCamera {
  camera: Camera;
  distanceM: number;
}

/** The `limit` cameras nearest the point within `withinM` metres, nearest first. */
export function nearbyCameras(
  cameras: readonly Camera[],
  lon: number,
  lat: number,
  limit = 5,
  withinM = 1_500,
): NearbyCamera[] {
  const out: NearbyCamera[] = [];
  for (const camera of cameras) {
    // Cheap box test first: 0.02° is > 1.5 km at Dongguan's latitude.
    if (Math.abs(camera.lat - lat) > 0.02 || Math.abs(camera.lon - lon) > 0.02) continue;
    const d = distanceM(lon, lat, camera.lon, camera.lat);
    if (d <= withinM) out.push({ camera, distanceM: d });
  }
  return out.sort((a, b) => a.distanceM - b.distanceM).slice(0, limit);
}
