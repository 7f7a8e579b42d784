// The map's columns (src-shared/ipc/map-data.ts) built in the renderer from the object calls
// (`map.reference`, `cases.list`, `map.positions`): the fallback when main cannot answer
// `map.snapshot`, and a handy way to make columns in tests. Also: position batches from fixes,
// and merging a `map.cases` answer into the columns on screen. Officers, cameras and batches
// are built by officer-columns.ts, the same builder the data worker uses.
import { FINAL_STATES } from '../domain/case-model';
import type { MapCaseChanges, MapCases, MapSnapshot } from '../ipc/map-data';
import { MAP_CASE_STATES, MAP_PRIORITIES, NO_INDEX } from '../ipc/map-data';
import { byId, cameraColumns, officerFixedColumns, positionBatch, withPositions } from './officer-columns';
import type { Camera, Case, Category, Grid, Officer, OfficerFix } from '../protocol/entities';

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
    numbers: new Array<string>(n),
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
    out.numbers[i] = c.number ?? '';
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

  const fixed = officerFixedColumns([...src.officers].sort(byId), gridIndex);
  const officers = withPositions(fixed, indexOf(fixed.ids), src.fixes);
  const cameras = cameraColumns([...src.cameras].sort(byId), gridIndex);

  return {
    version: src.version ?? 1,
    scopeCode: src.scopeCode,
    gridCodes,
    categoryCodes,
    cases: casesToColumns(src.cases, gridIndex, categoryIndex, src.pendingCaseIds),
    officers,
    cameras,
  };
}

/** Fixes (the object form of `positions.batch`) as a batch addressed by snapshot index. */
export const batchFromFixes = positionBatch;

export function officerIndexOf(snapshot: MapSnapshot): Map<string, number> {
  return indexOf(snapshot.officers.ids);
}

function emptyCases(n: number): MapCases {
  return {
    count: n,
    ids: new Array<string>(n),
    numbers: new Array<string>(n),
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
  to.numbers[j] = from.numbers[i];
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
