// Managed places 列管对象 (≈ 373k rentals + 604k "三小" venues in the demo city) for the
// consoles' maps. They are not cases and never change while the server runs, so they are read
// once from the dataset at start, kept in memory as columns (≈ 17 MB), and served per seat
// scope as a gzipped place slice (src-shared/protocol/place-slice.ts), cached per scope.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { DatasetManifest, PlacesTable } from '../../src-shared/dataset';
import {
  PLACE_SLICE_COLUMNS,
  encodePlaceSlice,
  type PlaceSliceTable,
} from '../../src-shared/protocol/place-slice';
import { allocTable } from '../../src-shared/dataset/binary-table';
import { readManifest, readPlaces } from '../dataset/read-dataset';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';

const DAY_MS = 86_400_000;
const gzipAsync = promisify(gzip);
/** Slices kept ready: the city's (≈ 5 MB gzipped) plus the towns and villages last asked for. */
const SLICE_CACHE_ENTRIES = 48;

export interface PlaceSliceBody {
  /** gzip of the encoded slice. */
  body: Buffer;
  etag: string;
  rows: number;
}

interface IndexedPlaces {
  /** Names this copy of the file (path, size, mtime): part of the ETag. */
  key: string;
  places: PlacesTable;
  gridStart: Uint32Array;
  rowsByGrid: Uint32Array;
}

/**
 * Decoded places per dataset file (path, size, mtime): immutable, so a server restarted in the
 * same process (tests, the fault scenarios) does not decode 977k rows again.
 */
const decoded = new Map<string, IndexedPlaces>();

function indexedPlaces(datasetDir: string, manifest: DatasetManifest, grids: number): IndexedPlaces {
  const entry = manifest.files.find((f) => f.role === 'places');
  if (!entry) throw new Error('the dataset has no places file');
  const file = join(datasetDir, entry.name);
  const { size, mtimeMs } = statSync(file);
  const key = `${file}|${size}|${mtimeMs}|${grids}`;
  const held = decoded.get(key);
  if (held) return held;
  const places = readPlaces(datasetDir, manifest);
  // Counting sort by grid: the slice of any scope is then a few contiguous runs per grid.
  const gridStart = new Uint32Array(grids + 1);
  for (let i = 0; i < places.rowCount; i++) {
    const g = places.grid[i];
    if (g >= grids) throw new Error(`place ${i} names grid ${g} of ${grids}`);
    gridStart[g + 1]++;
  }
  for (let g = 0; g < grids; g++) gridStart[g + 1] += gridStart[g];
  const fill = gridStart.slice(0, grids);
  const rowsByGrid = new Uint32Array(places.rowCount);
  for (let i = 0; i < places.rowCount; i++) rowsByGrid[fill[places.grid[i]]++] = i;
  const out = { key, places, gridStart, rowsByGrid };
  decoded.clear(); // one dataset per process in practice: do not pile up tables
  decoded.set(key, out);
  return out;
}

export class PlaceService {
  private readonly slices = new Map<string, Promise<PlaceSliceBody>>();

  private constructor(
    private readonly places: PlacesTable,
    /** Rows of grid g are rowsByGrid[gridStart[g] … gridStart[g + 1]), in dataset order. */
    private readonly gridStart: Uint32Array,
    private readonly rowsByGrid: Uint32Array,
    private readonly ref: ReferenceData,
    private readonly shiftDays: number,
    private readonly tag: string,
  ) {}

  /**
   * Read the places of the dataset this store was imported from. Null (and a log line) when the
   * dataset directory is gone or holds another dataset: the endpoint then answers 503.
   */
  static load(
    datasetDir: string,
    db: Db,
    ref: ReferenceData,
    log: (line: string) => void,
  ): PlaceService | null {
    const meta = (key: string): string | null =>
      (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ??
      null;
    try {
      const manifest = readManifest(datasetDir);
      const seed = meta('dataset_seed');
      if (seed !== manifest.seed) {
        log(
          `places: ${datasetDir} holds dataset ${manifest.seed}, the store was imported from ${seed}; not serving places`,
        );
        return null;
      }
      const { key, places, gridStart, rowsByGrid } = indexedPlaces(
        datasetDir,
        manifest,
        ref.gridsByIndex.length,
      );
      // Case times were moved forward by whole weeks at import; inspection days move with them.
      const shiftDays = Math.round(Number(meta('history_shift_ms') ?? '0') / DAY_MS);
      const tag = createHash('sha256')
        .update(`${manifest.seed}|${key}|${shiftDays}|${PLACE_SLICE_COLUMNS.length}`)
        .digest('hex')
        .slice(0, 16);
      return new PlaceService(places, gridStart, rowsByGrid, ref, shiftDays, tag);
    } catch (e) {
      log(`places: cannot read the dataset's places (${e instanceof Error ? e.message : String(e)})`);
      return null;
    }
  }

  get rowCount(): number {
    return this.places.rowCount;
  }

  /** The ETag a seat of this scope would get (the body need not be built to answer 304). */
  etagOf(scopeCode: string): string {
    return `"places-${this.tag}-${scopeCode}"`;
  }

  /**
   * The gzipped slice of a scope: city (every place), town, village or grid. Concurrent asks
   * share one build; gzip runs on libuv's pool, so the event loop only does the column copy.
   */
  slice(scopeCode: string): Promise<PlaceSliceBody> {
    const held = this.slices.get(scopeCode);
    if (held) {
      // Most recently used last: re-insert.
      this.slices.delete(scopeCode);
      this.slices.set(scopeCode, held);
      return held;
    }
    const built = this.build(scopeCode);
    built.catch(() => this.slices.delete(scopeCode));
    this.slices.set(scopeCode, built);
    while (this.slices.size > SLICE_CACHE_ENTRIES) this.slices.delete(this.slices.keys().next().value!);
    return built;
  }

  private async build(scopeCode: string): Promise<PlaceSliceBody> {
    const inScope = (g: { code: string; villageCode: string; townCode: string }): boolean =>
      scopeCode.length === 15
        ? g.code === scopeCode
        : scopeCode.length === 12
          ? g.villageCode === scopeCode
          : scopeCode.length === 9
            ? g.townCode === scopeCode
            : scopeCode === this.ref.cityCode;
    // Grid indices of the scope in code order (the dataset's grid order is by code too).
    const grids = this.ref.gridsByIndex
      .map((g, idx) => ({ g, idx }))
      .filter(({ g }) => inScope(g))
      .sort((a, b) => (a.g.code < b.g.code ? -1 : a.g.code > b.g.code ? 1 : 0));
    let rows = 0;
    for (const { idx } of grids) rows += this.gridStart[idx + 1] - this.gridStart[idx];
    const src = this.places;
    const t: PlaceSliceTable = allocTable(PLACE_SLICE_COLUMNS, rows);
    let k = 0;
    grids.forEach(({ idx }, local) => {
      for (let p = this.gridStart[idx]; p < this.gridStart[idx + 1]; p++) {
        const i = this.rowsByGrid[p];
        t.id[k] = i;
        t.lon[k] = src.lon[i];
        t.lat[k] = src.lat[i];
        t.grid[k] = local;
        t.kind[k] = src.kind[i];
        t.tier[k] = src.tier[i];
        t.subkind[k] = src.subkind[i];
        t.units[k] = src.units[i];
        t.lastInspectionDay[k] = src.lastInspectionDay[i] + this.shiftDays;
        k++;
      }
    });
    const encoded = encodePlaceSlice({ gridCodes: grids.map(({ g }) => g.code), table: t });
    // Level 6: built once per scope and cached, so size matters more than the one-off CPU.
    return { body: await gzipAsync(encoded, { level: 6 }), etag: this.etagOf(scopeCode), rows };
  }
}
