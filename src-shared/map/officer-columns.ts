// The officers', cameras' and position batches' columns (src-shared/ipc/map-data.ts), built the
// one way: by the data worker from its cache (src-main/data/map-view.ts) and by the renderer from
// the object calls (columns.ts). One rule each: officers and cameras in id order; a status the
// map does not know is drawn offline (never "on patrol"); of two fixes of one officer the later
// wins (the later in the list on a tie); a batch carries one fix per officer.
import {
  MAP_OFFICER_KINDS,
  MAP_OFFICER_STATUSES,
  NO_INDEX,
  type MapCameras,
  type MapOfficers,
  type PositionBatch,
} from '../ipc/map-data';
import type { Camera, Officer, OfficerFix } from '../protocol/entities';

const indexOf = (list: readonly string[]): Map<string, number> => new Map(list.map((v, i) => [v, i]));
const STATUS_INDEX = indexOf(MAP_OFFICER_STATUSES);
const KIND_INDEX = indexOf(MAP_OFFICER_KINDS);
export const OFFLINE_STATUS = STATUS_INDEX.get('offline')!;

/** The column value of an officer status; one the map does not know is offline. */
export function officerStatusIndex(status: string): number {
  return STATUS_INDEX.get(status) ?? OFFLINE_STATUS;
}

export const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** The officers' columns that only change with the reference data. */
export type OfficerFixedColumns = Pick<
  MapOfficers,
  'count' | 'ids' | 'names' | 'numbers' | 'kind' | 'homeGrid'
>;

/** Officers' fixed columns; `officers` must be in id order (the order batches address). */
export function officerFixedColumns(
  officers: readonly Officer[],
  gridIndex: ReadonlyMap<string, number>,
): OfficerFixedColumns {
  const n = officers.length;
  const o: OfficerFixedColumns = {
    count: n,
    ids: officers.map((x) => x.id),
    names: officers.map((x) => x.name),
    numbers: officers.map((x) => x.number),
    kind: new Uint8Array(n),
    homeGrid: new Uint16Array(n),
  };
  officers.forEach((x, i) => {
    o.kind[i] = KIND_INDEX.get(x.kind) ?? 0;
    o.homeGrid[i] = x.homeGridCode === null ? NO_INDEX : (gridIndex.get(x.homeGridCode) ?? NO_INDEX);
  });
  return o;
}

/** The officers' columns with their last fix (none yet: offline, no position). */
export function withPositions(
  fixed: OfficerFixedColumns,
  index: ReadonlyMap<string, number>,
  fixes: readonly OfficerFix[],
): MapOfficers {
  const n = fixed.count;
  const o: MapOfficers = {
    ...fixed,
    lon: new Float64Array(n).fill(Number.NaN),
    lat: new Float64Array(n).fill(Number.NaN),
    status: new Uint8Array(n).fill(OFFLINE_STATUS),
    heading: new Float32Array(n).fill(Number.NaN),
    fixAt: new Float64Array(n).fill(Number.NaN),
  };
  for (const f of fixes) {
    const i = index.get(f.officerId);
    if (i === undefined || f.at < o.fixAt[i]) continue; // NaN (no fix yet) compares false
    o.lon[i] = f.lon;
    o.lat[i] = f.lat;
    o.status[i] = officerStatusIndex(f.status);
    o.heading[i] = f.heading ?? Number.NaN;
    o.fixAt[i] = f.at;
  }
  return o;
}

/** Cameras' columns; `cameras` must be in id order. */
export function cameraColumns(
  cameras: readonly Camera[],
  gridIndex: ReadonlyMap<string, number>,
): MapCameras {
  const m = cameras.length;
  const c: MapCameras = {
    count: m,
    ids: cameras.map((x) => x.id),
    names: cameras.map((x) => x.name),
    lon: new Float64Array(m),
    lat: new Float64Array(m),
    online: new Uint8Array(m),
    direction: new Float32Array(m),
    grid: new Uint16Array(m),
  };
  cameras.forEach((x, i) => {
    c.lon[i] = x.lon;
    c.lat[i] = x.lat;
    c.online[i] = x.online ? 1 : 0;
    c.direction[i] = x.direction ?? Number.NaN;
    c.grid[i] = gridIndex.get(x.gridCode) ?? NO_INDEX;
  });
  return c;
}

/** Fixes as one batch addressed by officer index (one per officer, the latest); others left out. */
export function positionBatch(
  index: ReadonlyMap<string, number>,
  version: number,
  fixes: readonly OfficerFix[],
): PositionBatch {
  const latest = new Map<number, OfficerFix>();
  for (const f of fixes) {
    const i = index.get(f.officerId);
    if (i === undefined) continue;
    const held = latest.get(i);
    if (!held || held.at <= f.at) latest.set(i, f);
  }
  const n = latest.size;
  const b: PositionBatch = {
    version,
    count: n,
    index: new Uint32Array(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    status: new Uint8Array(n),
    heading: new Float32Array(n),
    fixAt: new Float64Array(n),
  };
  let k = 0;
  for (const [i, f] of latest) {
    b.index[k] = i;
    b.lon[k] = f.lon;
    b.lat[k] = f.lat;
    b.status[k] = officerStatusIndex(f.status);
    b.heading[k] = f.heading ?? Number.NaN;
    b.fixAt[k] = f.at;
    k++;
  }
  return b;
}
