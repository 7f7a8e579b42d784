// GPU columns for the point layers that change rarely (cameras, cases, managed places): built
// once per snapshot straight from the typed columns, handed to deck.gl as binary attributes.
import type { MapCameras, MapCases, MapPlaces } from '../ipc/map-data';
import type { BinaryData } from './officer-buffers';
import {
  CAMERA_OFFLINE,
  CAMERA_OFFLINE_RING,
  CAMERA_ONLINE,
  CASE_PENDING_RING,
  CASE_PRIORITY_TABLE,
  CASE_STATE_TABLE,
  PLACE_COLORS,
} from './palette';

/** What the places layer needs of MapPlaces (出租屋 by tier, 三小 venues). */
export type PlaceColumns = Pick<MapPlaces, 'count' | 'lon' | 'lat' | 'kind' | 'tier'>;

export interface PointBuffers {
  count: number;
  data: BinaryData;
}

function positions(lon: ArrayLike<number>, lat: ArrayLike<number>, n: number): Float32Array {
  const p = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    p[i * 2] = lon[i];
    p[i * 2 + 1] = lat[i];
  }
  return p;
}

export function cameraBuffers(c: MapCameras): PointBuffers {
  const n = c.count;
  const fill = new Uint8Array(n * 4);
  const line = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const f = c.online[i] ? CAMERA_ONLINE : CAMERA_OFFLINE;
    const l = c.online[i] ? ([8, 16, 26] as const) : CAMERA_OFFLINE_RING;
    fill.set([f[0], f[1], f[2], 255], i * 4);
    line.set([l[0], l[1], l[2], 255], i * 4);
  }
  return {
    count: n,
    data: {
      length: n,
      attributes: {
        getPosition: { value: positions(c.lon, c.lat, n), size: 2 },
        getFillColor: { value: fill, size: 4, normalized: true },
        getLineColor: { value: line, size: 4, normalized: true },
      },
    },
  };
}

/** Dot radius in pixels by priority (emergency, urgent, normal). */
export const CASE_RADIUS = [8, 7, 5.5] as const;

export function caseBuffers(c: MapCases): PointBuffers {
  const n = c.count;
  const fill = new Uint8Array(n * 4);
  const line = new Uint8Array(n * 4);
  const radius = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = CASE_PRIORITY_TABLE[c.priority[i]] ?? CASE_PRIORITY_TABLE[CASE_PRIORITY_TABLE.length - 1];
    const s = c.pending[i] ? CASE_PENDING_RING : (CASE_STATE_TABLE[c.state[i]] ?? CASE_STATE_TABLE[0]);
    fill.set([p[0], p[1], p[2], 255], i * 4);
    line.set([s[0], s[1], s[2], 255], i * 4);
    radius[i] = CASE_RADIUS[c.priority[i]] ?? CASE_RADIUS[2];
  }
  return {
    count: n,
    data: {
      length: n,
      attributes: {
        getPosition: { value: positions(c.lon, c.lat, n), size: 2 },
        getFillColor: { value: fill, size: 4, normalized: true },
        getLineColor: { value: line, size: 4, normalized: true },
        getRadius: { value: radius, size: 1 },
      },
    },
  };
}

export function placeBuffers(p: PlaceColumns): PointBuffers {
  const n = p.count;
  const fill = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const c = p.kind[i] === 1 ? PLACE_COLORS[4] : (PLACE_COLORS[p.tier[i]] ?? PLACE_COLORS[0]);
    fill[i * 4] = c[0];
    fill[i * 4 + 1] = c[1];
    fill[i * 4 + 2] = c[2];
    fill[i * 4 + 3] = 255;
  }
  return {
    count: n,
    data: {
      length: n,
      attributes: {
        getPosition: { value: positions(p.lon, p.lat, n), size: 2 },
        getFillColor: { value: fill, size: 4, normalized: true },
      },
    },
  };
}

/** Cases reported within `windowMs` of `now`: the ones that pulse. */
export function newCaseIndices(c: MapCases, now: number, windowMs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < c.count; i++) if (now - c.reportedAt[i] < windowMs) out.push(i);
  return out;
}
