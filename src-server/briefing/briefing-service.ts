// The server's briefing rollups: the dataset's history plus the live cases, kept up to
// date from committed events, served per seat scope as a gzipped slice (src-shared/briefing/slice.ts).
//
// What goes in:
// - History: the dataset's case table, moved by the same whole weeks the import moved the live
//   cases (meta history_shift_ms) and cut at the same minute (meta history_cut_ms: rows reported
//   later never happened), WITHOUT the rows the import turned into live cases (the ones open at
//   the cut: they are in the store and change). The rest never
//   changes, so it is ingested once with asOf in the far future (every recorded event counts)
//   and cached beside server.sqlite as briefing-history.bin.gz, keyed by the dataset's identity
//   (seed, case file size and mtime, shift, rollup format): a restart reads ~1 file instead of
//   decoding and ingesting millions of rows.
// - Live: every case of the store (imported open ones and new ones), as of now. Each committed
//   event replaces its case's contribution (remove the old record, add the current one).
// - asOf: moved to "now" (whole minutes) at most once a minute, when a slice is asked for;
//   only the live cases' contributions depend on it, so they are re-added (advanceAsOf).
//
// Caveat: history rows closed after the history's end count as closed at their recorded time
// (they were filed as closed; the import did not make them live).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import type { BriefingDims } from '../../src-shared/briefing/dims';
import { estimateDayWeights, type DayWeights } from '../../src-shared/briefing/capacity';
import {
  datasetDims,
  gridVillages,
  historyRowAsCase,
  ingestHistory,
  rollupCaseFromCase,
} from '../../src-shared/briefing/ingest';
import type { RollupCase } from '../../src-shared/briefing/rollups';
import { BriefingRollups, NI } from '../../src-shared/briefing/rollups';
import {
  cityWeekTotals,
  encodeBriefingSlice,
  rollupScopeOf,
  scopeSlice,
} from '../../src-shared/briefing/slice';
import type { CasesTable } from '../../src-shared/dataset';
import { defaultCalendar } from '../../src-shared/domain/calendar';
import type { Case } from '../../src-shared/protocol/entities';
import {
  readCaseHistory,
  readManifest,
  readReferenceFiles,
  type ReferenceFiles,
} from '../dataset/read-dataset';
import { historyCutRow, isOpenAt } from '../dataset/import-dataset';
import { catchUpSegments, readSegment } from '../dataset/catch-up-segments';
import type { AfterCommit } from '../cases/command-service';
import type { CaseStore } from '../cases/case-store';
import type { Db } from '../store/database';

const gzipAsync = promisify(gzip);
const MINUTE_MS = 60_000;
/** asOf of the fixed history part: after any recorded event (8.64e15 is the last valid date). */
const HISTORY_AS_OF_MS = 8e15;
const CACHE_FORMAT = 3;
const SLICE_CACHE_ENTRIES = 16;
const DAY_WEIGHTS_MAX_AGE_MS = 3_600_000;

export interface BriefingSliceBody {
  /** gzip of encodeBriefingSlice. */
  body: Buffer;
  etag: string;
  scopeCode: string;
}

export interface BriefingServiceOptions {
  datasetDir: string;
  /** Where server.sqlite lives; the history cache is written beside it. */
  dataDir: string;
  db: Db;
  now: () => number;
  log: (line: string) => void;
}

export interface BriefingLoadInfo {
  /** 'cache' when the history came from briefing-history.bin.gz. */
  history: 'cache' | 'ingested';
  historyRows: number;
  liveCases: number;
  ms: number;
}

function shiftedTable(cases: CasesTable, shiftMin: number): CasesTable {
  if (shiftMin === 0) return cases;
  const reportedAt = new Uint32Array(cases.rowCount);
  for (let i = 0; i < cases.rowCount; i++) reportedAt[i] = cases.reportedAt[i] + shiftMin;
  return { ...cases, reportedAt };
}

export class BriefingService {
  private live = new Map<string, RollupCase>();
  private slices = new Map<string, { revision: number; asOfMs: number; built: Promise<BriefingSliceBody> }>();
  /** A live case changed since asOf last moved (its record may lie after asOf and add nothing yet). */
  private dirty = true;
  private weights: { at: number; value: DayWeights } | null = null;

  private constructor(
    readonly rollups: BriefingRollups,
    private readonly tag: string,
    private readonly now: () => number,
    readonly info: BriefingLoadInfo,
  ) {}

  /**
   * Builds the rollups (history from the cache file when it matches the dataset, else ingested
   * and cached) plus the store's cases. Null (and a log line) when the dataset cannot be read or
   * is not the one the store was imported from: the endpoint then answers 503.
   */
  static load(options: BriefingServiceOptions, liveCases: Iterable<Case>): BriefingService | null {
    const t0 = performance.now();
    const { db, datasetDir, log } = options;
    const meta = (key: string): string | null =>
      (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ??
      null;
    try {
      const manifest = readManifest(datasetDir);
      if (meta('dataset_seed') !== manifest.seed) {
        log(
          `briefing: ${datasetDir} holds dataset ${manifest.seed}, not the imported one; no briefing rollups`,
        );
        return null;
      }
      const shiftMs = Number(meta('history_shift_ms') ?? '0');
      // stores imported before the cut existed: the history's end
      const cutMs = Number(meta('history_cut_ms') ?? manifest.history.referenceMinute * MINUTE_MS + shiftMs);
      const casesEntry = manifest.files.find((f) => f.role === 'cases');
      if (!casesEntry) throw new Error('the dataset has no case history');
      const st = statSync(join(datasetDir, casesEntry.name));
      const key = JSON.stringify({
        format: CACHE_FORMAT,
        seed: manifest.seed,
        size: st.size,
        mtimeMs: st.mtimeMs,
        shiftMs,
        cutMs,
      });
      const tag = createHash('sha256')
        .update(key)
        .update(JSON.stringify(catchUpSegments(db)))
        .digest('hex')
        .slice(0, 12);
      const cacheFile = join(options.dataDir, 'briefing-history.bin.gz');
      const keyFile = join(options.dataDir, 'briefing-history.json');
      let history: BriefingRollups | null = null;
      let source: BriefingLoadInfo['history'] = 'cache';
      if (existsSync(cacheFile) && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
        try {
          history = BriefingRollups.fromBytes(new Uint8Array(gunzipSync(readFileSync(cacheFile))));
        } catch (e) {
          log(
            `briefing: history cache unreadable (${e instanceof Error ? e.message : String(e)}); ingesting again`,
          );
        }
      }
      if (history === null) {
        source = 'ingested';
        history = ingestFixedHistory(datasetDir, shiftMs, cutMs);
        writeFileSync(`${cacheFile}.tmp`, gzipSync(history.toBytes(), { level: 1 }));
        renameSync(`${cacheFile}.tmp`, cacheFile);
        writeFileSync(keyFile, key);
      }
      // the hours the server was down, caught up at later starts (never cached: small, and each
      // start may add one)
      mergeCatchUpSegments(history, datasetDir, options.dataDir, db);
      const historyRows = history.catVillage.weekRange() === null ? 0 : countRows(history);
      // The live part is as of now: history contributions do not depend on asOf (see header).
      history.asOfMs = Math.max(history.coverageStartMs, Math.floor(options.now() / MINUTE_MS) * MINUTE_MS);
      const service = new BriefingService(history, tag, options.now, {
        history: source,
        historyRows,
        liveCases: 0,
        ms: 0,
      });
      for (const c of liveCases) service.update(c);
      service.info.liveCases = service.live.size;
      service.info.ms = Math.round(performance.now() - t0);
      return service;
    } catch (e) {
      log(`briefing: cannot build the rollups (${e instanceof Error ? e.message : String(e)})`);
      return null;
    }
  }

  get dims(): BriefingDims {
    return this.rollups.dims;
  }

  /** Replaces a case's contribution with its current state (the committed-events observer). */
  update(c: Case): void {
    const old = this.live.get(c.id);
    const next = rollupCaseFromCase(c, this.rollups.dims);
    this.dirty = true;
    if (old !== undefined) this.rollups.removeCase(old);
    if (next === null) {
      this.live.delete(c.id);
      return;
    }
    this.rollups.addCase(next);
    this.live.set(c.id, next);
  }

  /** The store's cases as the rollups count them (kept current by every committed command). */
  liveRecords(): IterableIterator<RollupCase> {
    return this.live.values();
  }

  /**
   * Moves asOf to now when a live case changed since the last move (so a case reported a moment
   * ago is in the next slice) or a minute has passed; otherwise keeps it, so the ETag stays.
   */
  advance(): void {
    const nowMs = this.now();
    if (nowMs <= this.rollups.asOfMs) return;
    if (!this.dirty && nowMs - this.rollups.asOfMs < MINUTE_MS) return;
    const cases = [...this.live.values()];
    this.rollups.advanceAsOf(nowMs, cases, cases);
    this.dirty = false;
  }

  /**
   * Day weights from the whole city's rollups, re-estimated at most hourly: they are shares of
   * a year of days and barely move with a day's events, while estimating reads every week's
   * heat (≈ 0.2 s at 10M cases) — too much for every change of the rollups.
   */
  private dayWeights(): DayWeights {
    const nowMs = this.now();
    if (this.weights === null || nowMs - this.weights.at >= DAY_WEIGHTS_MAX_AGE_MS) {
      this.weights = { at: nowMs, value: estimateDayWeights(this.rollups) };
    }
    return this.weights.value;
  }

  /** The seat scope the slice is cut for (a grid seat: its village), or null when unknown. */
  sliceScopeOf(seatScope: string): string | null {
    return rollupScopeOf(this.rollups, seatScope)?.code ?? null;
  }

  etagOf(scopeCode: string): string {
    return `"briefing-${this.tag}-${scopeCode}-${this.rollups.revision}-${this.rollups.asOfMs}"`;
  }

  /** The gzipped slice of a seat's scope, built once per rollup revision and scope. */
  slice(seatScope: string): Promise<BriefingSliceBody> | null {
    this.advance();
    const scope = rollupScopeOf(this.rollups, seatScope);
    if (scope === null) return null;
    const revision = this.rollups.revision;
    const asOfMs = this.rollups.asOfMs;
    const held = this.slices.get(scope.code);
    if (held && held.revision === revision && held.asOfMs === asOfMs) return held.built;
    const etag = this.etagOf(scope.code);
    // Cut synchronously (the rollups change with the next event), compress on libuv's pool.
    const bytes = encodeBriefingSlice({
      header: {
        scopeCode: scope.code,
        cityWeekTotals: cityWeekTotals(this.rollups),
        dayWeights: this.dayWeights(),
      },
      rollups: scopeSlice(this.rollups, scope),
    });
    const built = gzipAsync(bytes, { level: 6 }).then((body) => ({ body, etag, scopeCode: scope.code }));
    built.catch(() => this.slices.delete(scope.code));
    this.slices.delete(scope.code);
    this.slices.set(scope.code, { revision, asOfMs, built });
    while (this.slices.size > SLICE_CACHE_ENTRIES) this.slices.delete(this.slices.keys().next().value!);
    return built;
  }
}

function countRows(r: BriefingRollups): number {
  const range = r.intake.weekRange();
  if (range === null) return 0;
  let n = 0;
  // intake field 0 = reported (voided included): one per history row kept.
  for (let w = range.first; w <= range.last; w++)
    r.intake.forEachInWeek(w, (cell, v) => (n += cell % NI === 0 ? v : 0));
  return n;
}

/**
 * The dataset's history moved by `shiftMs`, cut at `cutMs` (shifted time), without the rows that
 * became live cases (open at the cut).
 */
export function ingestFixedHistory(
  datasetDir: string,
  shiftMs: number,
  cutMs: number = Number.POSITIVE_INFINITY,
): BriefingRollups {
  const files = readReferenceFiles(datasetDir);
  const table = shiftedTable(readCaseHistory(datasetDir, files.manifest), Math.round(shiftMs / MINUTE_MS));
  const cutMinute = Number.isFinite(cutMs)
    ? Math.floor(cutMs / MINUTE_MS)
    : files.manifest.history.referenceMinute + Math.round(shiftMs / MINUTE_MS);
  const rollups = ingestTableUpToCut(files, table, shiftMs, cutMinute);
  // coverage starts at firstDay of the unshifted history: move it with the rows.
  rollups.coverageStartMs += shiftMs;
  return rollups;
}

/**
 * Rows of `table` (times already moved by `shiftMs`; deadlines on the calendar of the original
 * dates) reported before `cutMinute`, without those open at the cut (they are live cases).
 */
function ingestTableUpToCut(
  files: ReferenceFiles,
  table: CasesTable,
  shiftMs: number,
  cutMinute: number,
): BriefingRollups {
  const cutRow = historyCutRow(table, cutMinute);
  const grids = files.grids.grids;
  const departments = files.departments.departments;
  const dims = datasetDims(grids, files.catalog, departments, files.manifest.region, files.divisions);
  const history = {
    firstDay: files.manifest.history.firstDay,
    referenceMinute: files.manifest.history.referenceMinute,
  };
  const rollups = ingestHistory(table, grids, files.catalog, departments, {
    history,
    region: files.manifest.region,
    divisions: files.divisions,
    dims,
    asOfMs: HISTORY_AS_OF_MS,
    rows: { from: 0, to: cutRow },
    calendarShiftMs: shiftMs,
  });
  const gridVillage = gridVillages(dims, grids);
  for (let i = 0; i < cutRow; i++) {
    if (!isOpenAt(table, i, cutMinute)) continue;
    rollups.removeCase(
      historyRowAsCase(table, i, gridVillage, files.catalog, HISTORY_AS_OF_MS, defaultCalendar(), shiftMs),
    );
  }
  return rollups;
}

/**
 * Adds the catch-up segments (simulator/catch-up.ts: the rows of the hours the server was down,
 * in real time, cut where each catch-up ended, minus the rows that became live cases).
 */
function mergeCatchUpSegments(rollups: BriefingRollups, datasetDir: string, dataDir: string, db: Db): number {
  const segments = catchUpSegments(db);
  if (segments.length === 0) return 0;
  const files = readReferenceFiles(datasetDir);
  const coverage = rollups.coverageStartMs;
  let rows = 0;
  for (const seg of segments) {
    const table = readSegment(dataDir, seg);
    const part = ingestTableUpToCut(files, table, 0, Math.floor(seg.toMs / MINUTE_MS));
    rollups.merge(part);
    rows += table.rowCount;
  }
  rollups.coverageStartMs = coverage;
  return rows;
}

/** Every case of the server's store (imported open ones and everything since), read in id order. */
export function* storeCases(db: Db): Generator<Case> {
  for (const row of db.prepare('SELECT json FROM cases').iterate() as Iterable<{ json: string }>) {
    yield JSON.parse(row.json) as Case;
  }
}

/**
 * The briefing's after-commit hook: the cases a command's events touched are read back from the
 * store and replace their contributions to the rollups.
 */
export function briefingAfterCommit(store: Pick<CaseStore, 'get'>, briefing: BriefingService): AfterCommit {
  return (committed) => {
    const ids = new Set(committed.map(({ event }) => event.caseId));
    for (const id of ids) {
      const c = store.get(id);
      if (c) briefing.update(c);
    }
  };
}
