// The map's columns (src-shared/ipc/map-data.ts) built in the renderer from the object calls
// (`map.reference`, `cases.list`, `map.positions`): the fallback when main cannot answer
// `map.snapshot`, and a handy way to make columns in tests. Also: position batches from fixes,
// and merging a `map.cases` answer into the columns on screen.
import { FINAL_STATES } from '../domain/case-model';
import type { MapCaseChanges, MapCases, MapSnapshot, PositionBatch } from '../ipc/map-data';
import { MAP_CASE_STATES, MAP_OFFICER_STATUSES, MAP_PRIORITIES, NO_INDEX } from '../ipc/map-data';
import type { Camera, Case, Category, Grid, Officer, OfficerFix } from '../protocol/entities';

const KIND_INDEX = { grid: 0, mobile: 1, department: 2 } as const;

export interface ColumnSources {
  scopeCode: string;
  grids: readonly Grid[];
  officers: readonly Officer[];
  cameras: readonly Camera[];
  categories: readonly Category[];
  /** Any cases; closed and voided ones are left out. */
  cases: readonly Case[];
  fixes: readonly OfficerFix[];
  /** Cases with an action this console has not had answered yet. */
  pendingCaseIds?: ReadonlySet<string>;
  version?: number;
}

function indexOf<T extends string>(list: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  list.forEach((v, i) => m.set(v, i));
  return m;
}

export function casesToColumns(
  cases: readonly Case[],
  gridIndex: ReadonlyMap<string, number>,
  categoryIndex: ReadonlyMap<string, number>,
  pending: ReadonlySet<string> = new Set(),
): MapCases {
  const open = cases.filter((c) => !FINAL_STATES.has(c.state));
  const n = open.length;
  const stateIndex = indexOf(MAP_CASE_STATES);
  const priorityIndex = indexOf(MAP_PRIORITIES);
  const out: MapCases = {
    count: n,
    ids: new Array<string>(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    state: new Uint8Array(n),
    priority: new Uint8Array(n),
    category: new Uint16Array(n),
    grid: new Uint16Array(n),
    reportedAt: new Float64Array(n),
    dueAt: new Float64Array(n),
    pending: new Uint8Array(n),
  };
  open.forEach((c, i) => {
    out.ids[i] = c.id;
    out.lon[i] = c.lon;
    out.lat[i] = c.lat;
    out.state[i] = stateIndex.get(c.state) ?? 0;
    out.priority[i] = priorityIndex.get(c.priority) ?? MAP_PRIORITIES.length - 1;
    out.category[i] = categoryIndex.get(c.categoryCode) ?? NO_INDEX;
    out.grid[i] = gridIndex.get(c.gridCode) ?? NO_INDEX;
    out.reportedAt[i] = c.reportedAt;
    out.dueAt[i] = c.dueAt ?? NaN;
    out.pending[i] = pending.has(c.id) ? 1 : 0;
  });
  return out;
}

/** A MapSnapshot from the reference objects, the open cases and the latest fixes. */
export function snapshotFromReference(src: ColumnSources): MapSnapshot {
  const gridCodes = src.grids.map((g) => g.code).sort();
  const categoryCodes = src.categories.map((c) => c.code).sort();
  const gridIndex = indexOf(gridCodes);
  const categoryIndex = indexOf(categoryCodes);

  const officers = [...src.officers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = officers.length;
  const o = {
    count: n,
    ids: officers.map((x) => x.id),
    names: officers.map((x) => x.name),
    numbers: officers.map((x) => x.number),
    kind: new Uint8Array(n),
    homeGrid: new Uint16Array(n),
    lon: new Float64Array(n).fill(NaN),
    lat: new Float64Array(n).fill(NaN),
    status: new Uint8Array(n).fill(MAP_OFFICER_STATUSES.indexOf('offline')),
    heading: new Float32Array(n).fill(NaN),
    fixAt: new Float64Array(n).fill(NaN),
  };
  officers.forEach((x, i) => {
    o.kind[i] = KIND_INDEX[x.kind];
    o.homeGrid[i] = x.homeGridCode ? (gridIndex.get(x.homeGridCode) ?? NO_INDEX) : NO_INDEX;
  });
  const officerIndex = indexOf(o.ids);
  const statusIndex = indexOf(MAP_OFFICER_STATUSES);
  for (const f of src.fixes) {
    const i = officerIndex.get(f.officerId);
    if (i === undefined || (o.fixAt[i] >= f.at && !Number.isNaN(o.fixAt[i]))) continue;
    o.lon[i] = f.lon;
    o.lat[i] = f.lat;
    o.status[i] = statusIndex.get(f.status) ?? 0;
    o.heading[i] = f.heading ?? NaN;
    o.fixAt[i] = f.at;
  }

  const cameras = [...src.cameras].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const m = cameras.length;
  const cam = {
    count: m,
    ids: cameras.map((c) => c.id),
    names: cameras.map((c) => c.name),
    lon: Float64Array.from(cameras, (c) => c.lon),
    lat: Float64Array.from(cameras, (c) => c.lat),
    online: Uint8Array.from(cameras, (c) => (c.online ? 1 : 0)),
    direction: Float32Array.from(cameras, (c) => c.direction ?? NaN),
    grid: Uint16Array.from(cameras, (c) => gridIndex.get(c.gridCode) ?? NO_INDEX),
  };

  return {
    version: src.version ?? 1,
    scopeCode: src.scopeCode,
    gridCodes,
    categoryCodes,
    cases: casesToColumns(src.cases, gridIndex, categoryIndex, src.pendingCaseIds),
    officers: o,
    cameras: cam,
  };
}

/** Fixes (the object form of `positions.changed`) as a batch addressed by snapshot index. */
export function batchFromFixes(
  officerIndex: ReadonlyMap<string, number>,
  version: number,
  fixes: readonly OfficerFix[],
): PositionBatch {
  const statusIndex = indexOf(MAP_OFFICER_STATUSES);
  const known = fixes.filter((f) => officerIndex.has(f.officerId));
  const n = known.length;
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
  known.forEach((f, i) => {
    b.index[i] = officerIndex.get(f.officerId) ?? 0;
    b.lon[i] = f.lon;
    b.lat[i] = f.lat;
    b.status[i] = statusIndex.get(f.status) ?? 0;
    b.heading[i] = f.heading ?? NaN;
    b.fixAt[i] = f.at;
  });
  return b;
}

export function officerIndexOf(snapshot: MapSnapshot): Map<string, number> {
  return indexOf(snapshot.officers.ids);
}

function emptyCases(n: number): MapCases {
  return {
    count: n,
    ids: new Array<string>(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    state: new Uint8Array(n),
    priority: new Uint8Array(n),
    category: new Uint16Array(n),
    grid: new Uint16Array(n),
    reportedAt: new Float64Array(n),
    dueAt: new Float64Array(n),
    pending: new Uint8Array(n),
  };
}

function copyRow(from: MapCases, i: number, to: MapCases, j: number): void {
  to.ids[j] = from.ids[i];
  to.lon[j] = from.lon[i];
  to.lat[j] = from.lat[i];
  to.state[j] = from.state[i];
  to.priority[j] = from.priority[i];
  to.category[j] = from.category[i];
  to.grid[j] = from.grid[i];
  to.reportedAt[j] = from.reportedAt[i];
  to.dueAt[j] = from.dueAt[i];
  to.pending[j] = from.pending[i];
}

/**
 * The columns after a `map.cases` answer: rows of `removed` ids go, changed rows are replaced
 * where they stand (so indices of untouched cases stay put), new ones are appended.
 */
export function mergeCaseChanges(current: MapCases, changes: MapCaseChanges): MapCases {
  const incoming = new Map<string, number>();
  for (let i = 0; i < changes.cases.count; i++) incoming.set(changes.cases.ids[i], i);
  const gone = new Set(changes.removed);
  const keep: number[] = [];
  for (let i = 0; i < current.count; i++) {
    const id = current.ids[i];
    if (gone.has(id) && !incoming.has(id)) continue;
    keep.push(i);
  }
  const appended: number[] = [];
  const present = new Set(current.ids);
  for (let i = 0; i < changes.cases.count; i++) if (!present.has(changes.cases.ids[i])) appended.push(i);
  const out = emptyCases(keep.length + appended.length);
  keep.forEach((i, j) => {
    const k = incoming.get(current.ids[i]);
    if (k === undefined) copyRow(current, i, out, j);
    else copyRow(changes.cases, k, out, j);
  });
  appended.forEach((k, n) => copyRow(changes.cases, k, out, keep.length + n));
  return out;
}
