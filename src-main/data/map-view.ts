// The situation map's view of the cache, in columns (src-shared/ipc/map-data.ts): open cases
// read from the cache's map columns (no case JSON), officers in id order with their last fix,
// cameras, and the officer order that position batches address. Runs in the data worker.
import { predictionShown, type PendingOverlay } from './optimistic-view';
import {
  MAP_CASE_STATES,
  MAP_PRIORITIES,
  NO_INDEX,
  type MapCaseChanges,
  type MapCameras,
  type MapCases,
  type MapPlaces,
  type MapSnapshot,
  type OfficerTrack,
  type PositionBatch,
} from '../../src-shared/ipc/map-data';
import { FINAL_STATES, type CaseState } from '../../src-shared/domain/case-model';
import type { Case, OfficerFix } from '../../src-shared/protocol/entities';
import type { PlaceSlice } from '../../src-shared/protocol/place-slice';
import type { CacheStore, MapCaseRow, TrackRow } from './cache-store';
import {
  cameraColumns,
  officerFixedColumns,
  positionBatch,
  withPositions,
  type OfficerFixedColumns,
} from '../../src-shared/map/officer-columns';

const indexOf = (list: readonly string[]): Map<string, number> => new Map(list.map((v, i) => [v, i]));
const STATE_INDEX = indexOf(MAP_CASE_STATES);
const PRIORITY_INDEX = indexOf(MAP_PRIORITIES);

/** FNV-1a over the ordered ids: the same officer list gives the same version, across restarts. */
export function officerOrderVersion(ids: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const id of ids) {
    for (let i = 0; i < id.length; i++) {
      h ^= id.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 10; // separator, so ['ab','c'] and ['a','bc'] differ
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Dictionaries {
  gridCodes: string[];
  categoryCodes: string[];
  grid: Map<string, number>;
  category: Map<string, number>;
}

/** Grows typed columns row by row, then trims them to the row count. */
class CaseColumns {
  private n = 0;
  private readonly ids: string[] = [];
  private readonly numbers: string[] = [];
  private lon: Float64Array;
  private lat: Float64Array;
  private state: Uint8Array;
  private priority: Uint8Array;
  private category: Uint16Array;
  private grid: Uint16Array;
  private reportedAt: Float64Array;
  private dueAt: Float64Array;
  private pending: Uint8Array;

  constructor(
    capacity: number,
    private readonly dict: Dictionaries,
  ) {
    this.lon = new Float64Array(capacity);
    this.lat = new Float64Array(capacity);
    this.state = new Uint8Array(capacity);
    this.priority = new Uint8Array(capacity);
    this.category = new Uint16Array(capacity);
    this.grid = new Uint16Array(capacity);
    this.reportedAt = new Float64Array(capacity);
    this.dueAt = new Float64Array(capacity);
    this.pending = new Uint8Array(capacity);
  }

  push(
    id: string,
    number: string | null | undefined,
    state: string,
    lon: number,
    lat: number,
    priority: string,
    category: string,
    gridCode: string,
    reportedAt: number,
    dueAt: number | null,
    pending: boolean,
  ): void {
    const i = this.n++;
    this.ids.push(id);
    this.numbers.push(number ?? '');
    this.lon[i] = lon;
    this.lat[i] = lat;
    this.state[i] = STATE_INDEX.get(state) ?? 0;
    this.priority[i] = PRIORITY_INDEX.get(priority) ?? PRIORITY_INDEX.get('normal')!;
    this.category[i] = this.dict.category.get(category) ?? NO_INDEX;
    this.grid[i] = this.dict.grid.get(gridCode) ?? NO_INDEX;
    this.reportedAt[i] = reportedAt;
    this.dueAt[i] = dueAt ?? Number.NaN;
    this.pending[i] = pending ? 1 : 0;
  }

  pushRow(r: MapCaseRow, pending: boolean): void {
    this.push(r[0], r[10], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], pending);
  }

  pushCase(c: Case, pending: boolean): void {
    this.push(
      c.id,
      c.number,
      c.state,
      c.lon,
      c.lat,
      c.priority,
      c.categoryCode,
      c.gridCode,
      c.reportedAt,
      c.dueAt,
      pending,
    );
  }

  finish(): MapCases {
    const n = this.n;
    // slice, not subarray: the answer must not drag the spare capacity along (IPC copies buffers).
    const fit = <T extends Float64Array | Uint8Array | Uint16Array>(a: T): T =>
      (a.length === n ? a : a.slice(0, n)) as T;
    return {
      count: n,
      ids: this.ids,
      numbers: this.numbers,
      lon: fit(this.lon),
      lat: fit(this.lat),
      state: fit(this.state),
      priority: fit(this.priority),
      category: fit(this.category),
      grid: fit(this.grid),
      reportedAt: fit(this.reportedAt),
      dueAt: fit(this.dueAt),
      pending: fit(this.pending),
    };
  }
}

/**
 * A column that owns its whole buffer. Decoded columns can be views into one big buffer, and a
 * structured clone (worker → main, Electron IPC) copies the whole buffer behind a view.
 */
function own<T extends Uint8Array | Uint16Array | Uint32Array>(a: T): T {
  return (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice()) as T;
}

const isOpen = (state: string): boolean => !FINAL_STATES.has(state as CaseState);

/** Add the case as the operator sees it (optimistic-view.ts) when it is open. False when not drawn. */
function pushShown(
  cols: CaseColumns,
  row: MapCaseRow | undefined,
  predicted: Case | null | undefined,
  pending: boolean,
): boolean {
  if (predictionShown(predicted, row?.[9])) {
    if (!isOpen(predicted.state)) return false;
    cols.pushCase(predicted, pending);
    return true;
  }
  if (!row || !isOpen(row[1])) return false;
  cols.pushRow(row, pending);
  return true;
}

/** The officers' and cameras' columns that only change with the reference data. */
interface FixedColumns {
  officers: OfficerFixedColumns;
  cameras: MapCameras;
}

export class MapView {
  private order: { ids: string[]; index: Map<string, number>; version: number } | null = null;
  private dict: Dictionaries | null = null;
  private fixed: FixedColumns | null = null;

  constructor(private readonly cache: CacheStore) {}

  /** Reference data changed (a new snapshot): dictionaries and the officer order are rebuilt. */
  invalidate(): void {
    this.order = null;
    this.dict = null;
    this.fixed = null;
  }

  private dictionaries(): Dictionaries {
    if (!this.dict) {
      const gridCodes = this.cache.codes('grids');
      const categoryCodes = this.cache.codes('categories');
      this.dict = { gridCodes, categoryCodes, grid: indexOf(gridCodes), category: indexOf(categoryCodes) };
    }
    return this.dict;
  }

  private officerOrder(): { ids: string[]; index: Map<string, number>; version: number } {
    if (!this.order) this.setOrder(this.cache.officerIds());
    return this.order!;
  }

  private fixedColumns(dict: Dictionaries): FixedColumns {
    this.fixed ??= {
      officers: officerFixedColumns(this.cache.officersById(), dict.grid),
      cameras: cameraColumns(this.cache.camerasById(), dict.grid),
    };
    return this.fixed;
  }

  private setOrder(ids: string[]): void {
    this.order = { ids, index: indexOf(ids), version: officerOrderVersion(ids) };
  }

  /**
   * A snapshot kept from the last clean close (map-start-file.ts) for the cache as it is now: its
   * officer order becomes the one position batches address, and `fixes` (those received since
   * the start, null for none) replace its positions.
   */
  adopt(snapshot: MapSnapshot, fixes: readonly OfficerFix[] | null): MapSnapshot {
    this.setOrder(snapshot.officers.ids);
    if (!fixes) return snapshot;
    return { ...snapshot, officers: withPositions(snapshot.officers, this.order!.index, fixes) };
  }

  snapshot(scopeCode: string, overlay: PendingOverlay, fixes: readonly OfficerFix[]): MapSnapshot {
    const dict = this.dictionaries();
    const rows = this.cache.mapCaseRows();
    const cols = new CaseColumns(rows.length + overlay.size, dict);
    for (const r of rows) if (!overlay.has(r[0])) cols.pushRow(r, false);
    if (overlay.size > 0) {
      // Cases with queued actions: the cache row may be closed (not in `rows`) or missing (a
      // report queued offline), so look them up whatever their state.
      const base = new Map(this.cache.mapCaseRowsOf([...overlay.keys()]).map((r) => [r[0], r]));
      for (const [id, predicted] of overlay) pushShown(cols, base.get(id), predicted, true);
    }
    const cases = cols.finish();

    // Officers' and cameras' fixed columns are read from the cache once per reference version
    // (≈ 5 MB of JSON for the city); only the positions are filled per snapshot. Whoever gets
    // a snapshot gets a structured-clone copy, so sharing these arrays here is safe.
    const fixed = this.fixedColumns(dict);
    const ids = fixed.officers.ids;
    this.setOrder(ids); // the snapshot defines the order its batches will address
    const o = withPositions(fixed.officers, this.order!.index, fixes);

    return {
      version: this.order!.version,
      scopeCode,
      gridCodes: dict.gridCodes,
      categoryCodes: dict.categoryCodes,
      cases,
      officers: o,
      cameras: fixed.cameras,
    };
  }

  /** Rows for cases that changed: open ones in `cases`, the rest (closed, voided, gone) in `removed`. */
  caseChanges(ids: readonly string[], overlay: PendingOverlay): MapCaseChanges {
    const unique = [...new Set(ids)];
    const base = new Map(this.cache.mapCaseRowsOf(unique).map((r) => [r[0], r]));
    const cols = new CaseColumns(unique.length, this.dictionaries());
    const removed: string[] = [];
    for (const id of unique) {
      if (!pushShown(cols, base.get(id), overlay.get(id), overlay.has(id))) removed.push(id);
    }
    return { cases: cols.finish(), removed };
  }

  /** The server's place slice as map columns, its grid indices moved into the snapshot's grid list. */
  places(slice: PlaceSlice, checkedAt: number, offline: boolean): MapPlaces {
    const dict = this.dictionaries();
    const remap = slice.gridCodes.map((code) => dict.grid.get(code) ?? NO_INDEX);
    const t = slice.table;
    const n = t.rowCount;
    const lon = new Float32Array(n);
    const lat = new Float32Array(n);
    const grid = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      lon[i] = t.lon[i] / 1e6;
      lat[i] = t.lat[i] / 1e6;
      grid[i] = remap[t.grid[i]];
    }
    return {
      count: n,
      id: own(t.id),
      lon,
      lat,
      kind: own(t.kind),
      tier: own(t.tier),
      subkind: own(t.subkind),
      units: own(t.units),
      grid,
      lastInspectionDay: own(t.lastInspectionDay),
      gridCodes: dict.gridCodes,
      checkedAt,
      offline,
    };
  }

  /** Fixes as one batch in the current officer order; officers outside it are left out. */
  positionBatch(fixes: readonly OfficerFix[]): PositionBatch | null {
    const { index, version } = this.officerOrder();
    const batch = positionBatch(index, version, fixes);
    return batch.count > 0 ? batch : null;
  }
}

/** The places inside [west, south, east, north], as fresh columns. */
export function placesWithin(all: MapPlaces, bbox: readonly [number, number, number, number]): MapPlaces {
  const [w, s, e, n] = bbox;
  const rows: number[] = [];
  for (let i = 0; i < all.count; i++) {
    const lon = all.lon[i];
    const lat = all.lat[i];
    if (lon >= w && lon <= e && lat >= s && lat <= n) rows.push(i);
  }
  const pick = <T extends Float32Array | Uint8Array | Uint16Array | Uint32Array>(col: T): T => {
    const out = new (col.constructor as new (n: number) => T)(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = col[rows[k]];
    return out;
  };
  return {
    ...all,
    count: rows.length,
    id: pick(all.id),
    lon: pick(all.lon),
    lat: pick(all.lat),
    kind: pick(all.kind),
    tier: pick(all.tier),
    subkind: pick(all.subkind),
    units: pick(all.units),
    grid: pick(all.grid),
    lastInspectionDay: pick(all.lastInspectionDay),
  };
}

/** Track rows as one track per officer in time order, in the order asked (null: by officer id). */
export function groupTracks(rows: readonly TrackRow[], order: readonly string[] | null): OfficerTrack[] {
  const byOfficer = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const id = rows[i][0];
    let list = byOfficer.get(id);
    if (!list) byOfficer.set(id, (list = []));
    list.push(i);
  }
  const track = (officerId: string, at: number[]): OfficerTrack => {
    // Rows come per officer in time order off the primary key; sort only if they did not.
    for (let k = 1; k < at.length; k++) {
      if (rows[at[k]][1] < rows[at[k - 1]][1]) {
        at.sort((a, b) => rows[a][1] - rows[b][1]);
        break;
      }
    }
    const n = at.length;
    const t: OfficerTrack = {
      officerId,
      lon: new Float64Array(n),
      lat: new Float64Array(n),
      at: new Float64Array(n),
    };
    for (let k = 0; k < n; k++) {
      const r = rows[at[k]];
      t.at[k] = r[1];
      t.lon[k] = r[2];
      t.lat[k] = r[3];
    }
    return t;
  };
  const ids = order === null ? [...byOfficer.keys()].sort() : [...new Set(order)];
  const out: OfficerTrack[] = [];
  for (const id of ids) {
    const at = byOfficer.get(id);
    if (at) out.push(track(id, at));
  }
  return out;
}
