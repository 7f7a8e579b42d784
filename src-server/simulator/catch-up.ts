// Catch-up after downtime (issue 16, continuous time). When the server starts on a store whose
// world stopped at T0 (its last event, the history's cut or the last catch-up) well before now,
// the world catches up over [T0, now) before a console is served:
//
// 1. The workload open at T0 lives on: the field simulator's assigned-work path and the simulated
//    desks (no patrols, fixes or inspection rounds) run on a virtual clock from T0 to now, through
//    the same command path as live (the server's clock is moved with it), so those cases are
//    signed for, handled, checked, reworked, closed — with their events, at the times they would
//    have had.
// 2. The cases reported while it was down are generated in bulk, the way the first start makes
//    the history: each day of the gap takes the rows of a template day — the same weekday, whole
//    weeks back, of the same working-day kind, at least four weeks before the first start (so its
//    rows are complete), outside planted weeks — with their outcomes (dispatch and handling times,
//    on time or late, rework, self-handled, voided) moved to the gap. Rows still open at now
//    become live cases in the states the import gives them, their log entries written at once
//    (consoles catch up on them); the rest are a catch-up segment (catch-up-segments.ts) the
//    briefing ingests with the history. So the timeline has no hole, the weekly totals keep the
//    history's level and rates, and the cost is the open workload's commands plus a table copy —
//    seconds for a week.
import { HOUR_MS, MINUTE_MS, defaultCalendar, type WorkingCalendar } from '../../src-shared/domain/calendar';
import { allocCases, CASE_COLUMNS, type CasesTable } from '../../src-shared/dataset/cases';
import {
  catchUpSegments,
  recordSegment,
  writeSegmentFile,
  type CatchUpSegment,
} from '../dataset/catch-up-segments';
import { historyCutRow, insertImportedCases, openCasesAtReference } from '../dataset/import-dataset';
import { readCaseHistory, readReferenceFiles, type ReferenceFiles } from '../dataset/read-dataset';
import type { Db } from '../store/database';
import { FieldSimulator, readCategoryWeights, type SimulatorServer } from './field-simulator';

/** Shorter gaps are not caught up (a quick restart). */
export const CATCH_UP_MIN_GAP_MS = 15 * MINUTE_MS;
/** Template days lie at least this long before the first start: their rows are complete. */
const TEMPLATE_MIN_AGE_DAYS = 28;
/** The virtual clock's step while replaying the open workload. */
const REPLAY_STEP_MS = 10 * MINUTE_MS;
const DAY_MIN = 1440;
const SHANGHAI_OFFSET_MIN = 480;

export interface CatchUpDeps {
  server: Omit<SimulatorServer, 'telemetry'>;
  datasetDir: string;
  dataDir: string;
  /** The real clock. */
  now: () => number;
  /** Moves the server's clock (null: back to the real one). */
  setClock: (ms: number | null) => void;
  log: (line: string) => void;
}

export interface CatchUpSummary {
  fromMs: number;
  toMs: number;
  /** Commands the replay of the open workload ran (accepted). */
  replayed: { signedFor: number; feedback: number; closed: number; dispatched: number; verified: number };
  /** Rows of the gap generated, and those of them open at now (live cases). */
  generated: number;
  live: number;
  /** Ids of the generated live cases (their log entries are written by the caller). */
  liveIds: string[];
  ms: number;
}

/** When the store's world stopped: its last event, the history's cut or the last catch-up's end. */
export function worldStoppedAt(db: Db): number {
  const cut = db.prepare("SELECT value FROM meta WHERE key = 'history_cut_ms'").get() as
    { value: string } | undefined;
  const last = db.prepare('SELECT max(server_time) AS t FROM events').get() as { t: number | null };
  const segEnd = Math.max(0, ...catchUpSegments(db).map((s) => s.toMs));
  return Math.max(Number(cut?.value ?? 0), last.t ?? 0, segEnd);
}

/** Catches the world up over [worldStoppedAt, now); null when the gap is shorter than CATCH_UP_MIN_GAP_MS. */
export async function catchUp(deps: CatchUpDeps): Promise<CatchUpSummary | null> {
  const t0 = performance.now();
  const { db } = deps.server;
  const toMs = Math.floor(deps.now() / MINUTE_MS) * MINUTE_MS;
  const fromMs = worldStoppedAt(db);
  if (toMs - fromMs < CATCH_UP_MIN_GAP_MS) return null;
  deps.log(
    `catch-up: the world stopped ${((toMs - fromMs) / HOUR_MS).toFixed(1)} h ago; catching up before serving`,
  );
  const replayed = await replayOpenWorkload(deps, fromMs, toMs);
  const files = readReferenceFiles(deps.datasetDir);
  const gap = generateGap(db, files, deps.datasetDir, fromMs, toMs);
  const idPrefix = `G${Math.floor(fromMs / MINUTE_MS).toString(36)}-`;
  const live = openCasesAtReference(files, gap, 0, toMs, idPrefix);
  const seg: CatchUpSegment = {
    file: `${fromMs}-${toMs}.bin`,
    fromMs,
    toMs,
    rows: gap.rowCount,
    live: live.length,
    idPrefix,
  };
  writeSegmentFile(deps.dataDir, seg.file, gap);
  db.transaction(() => {
    insertImportedCases(db, live);
    recordSegment(db, seg);
  })();
  return {
    fromMs,
    toMs,
    replayed,
    generated: gap.rowCount,
    live: live.length,
    liveIds: live.map((c) => c.id),
    ms: Math.round(performance.now() - t0),
  };
}

/**
 * The open workload from `fromMs` to `toMs` on a virtual clock: the field simulator without
 * patrols (no new finds, no fixes, no inspection rounds) and with the desks, as live.
 */
async function replayOpenWorkload(
  deps: CatchUpDeps,
  fromMs: number,
  toMs: number,
): Promise<CatchUpSummary['replayed']> {
  let t = fromMs;
  deps.setClock(t);
  try {
    const server: SimulatorServer = {
      ...deps.server,
      // no officer is moved or tracked in the replay (field: false)
      telemetry: {
        get: () => undefined,
        report: () => {
          throw new Error('the catch-up replay sends no fixes');
        },
      } as unknown as SimulatorServer['telemetry'],
    };
    const sim = new FieldSimulator(server, {
      now: () => t,
      seed: `catch-up-${fromMs}`,
      rateFactor: 0,
      field: false,
      inspections: false,
      tickMs: 2 ** 31 - 1, // driven below, never by its timer
      maxCommandsPerTick: Number.MAX_SAFE_INTEGER,
      photoPool: 16,
      categoryWeights: readCategoryWeights(deps.datasetDir),
      log: () => {},
    });
    sim.start();
    const { db } = deps.server;
    while (t < toMs) {
      t = Math.min(toMs, t + REPLAY_STEP_MS);
      deps.setClock(t);
      // One transaction a step (each command a savepoint in it): nothing else uses the store
      // before the server listens, and a commit per command was most of the cost.
      db.exec('BEGIN');
      try {
        sim.tick();
        await sim.settled();
        db.exec('COMMIT');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    }
    sim.stop();
    const d = sim.deskStats;
    return {
      signedFor: sim.stats.signedFor,
      feedback: sim.stats.feedback,
      closed: d?.closed ?? 0,
      dispatched: (d?.dispatched ?? 0) + (d?.redispatched ?? 0),
      verified: d?.verified ?? 0,
    };
  } finally {
    deps.setClock(null);
  }
}

/** The gap's rows: each day of [fromMs, toMs) from its template day (see the header). */
function generateGap(
  db: Db,
  files: ReferenceFiles,
  datasetDir: string,
  fromMs: number,
  toMs: number,
): CasesTable {
  const meta = (key: string): number =>
    Number(
      (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ??
        0,
    );
  const shiftMin = Math.round(meta('history_shift_ms') / MINUTE_MS);
  const firstCutMin = Math.floor(meta('history_cut_ms') / MINUTE_MS);
  const history = readCaseHistory(datasetDir, files.manifest);
  const planted = [...files.manifest.plantedRises, ...(files.manifest.plantedLaggards ?? [])].map((p) => {
    const [y, m, d] = p.fromDay.split('-').map(Number);
    const day = Date.UTC(y, m - 1, d) / 86_400_000;
    return [day, day + 7 * (p.weeks + 1)] as const; // +1 week: a laggard's tail
  });
  const parts = templateWindows({
    fromMin: Math.floor(fromMs / MINUTE_MS),
    toMin: Math.floor(toMs / MINUTE_MS),
    shiftMin,
    firstCutMin,
    historyFirstMin: history.reportedAt[0] + shiftMin,
    planted,
    calendar: defaultCalendar(),
  });
  const ranges = parts.map((p) => ({
    from: historyCutRow(history, p.fromMin - p.deltaMin),
    to: historyCutRow(history, p.toMin - p.deltaMin),
    deltaMin: p.deltaMin,
  }));
  const n = ranges.reduce((a, r) => a + (r.to - r.from), 0);
  const out = allocCases(n);
  let at = 0;
  for (const r of ranges) {
    for (const col of CASE_COLUMNS) {
      const src = history[col.name];
      (out[col.name] as { set(a: ArrayLike<number>, offset: number): void }).set(
        src.subarray(r.from, r.to),
        at,
      );
    }
    for (let i = at; i < at + (r.to - r.from); i++) out.reportedAt[i] += r.deltaMin;
    at += r.to - r.from;
  }
  return out;
}

export interface TemplateWindow {
  /** Real minutes [fromMin, toMin) of the gap … */
  fromMin: number;
  toMin: number;
  /** … filled by the dataset's rows at (real minute − deltaMin), unshifted. */
  deltaMin: number;
}

/**
 * For each Shanghai day of [fromMin, toMin): the dataset rows to copy. The template day is the
 * same weekday k whole weeks back (k as small as allowed), at least TEMPLATE_MIN_AGE_DAYS before
 * the first cut, not before the history starts, outside planted windows (unshifted day ranges),
 * and, when one exists, of the same working-day kind (its original date on the calendar, as
 * the generator saw it).
 */
export function templateWindows(o: {
  fromMin: number;
  toMin: number;
  shiftMin: number;
  firstCutMin: number;
  historyFirstMin: number;
  planted: readonly (readonly [number, number])[];
  calendar: WorkingCalendar;
}): TemplateWindow[] {
  const dayOf = (min: number): number => Math.floor((min + SHANGHAI_OFFSET_MIN) / DAY_MIN);
  const dayStartMin = (day: number): number => day * DAY_MIN - SHANGHAI_OFFSET_MIN;
  const noonMs = (day: number): number => (dayStartMin(day) + 12 * 60) * MINUTE_MS;
  const shiftDays = Math.round(o.shiftMin / DAY_MIN);
  const latestDay = dayOf(o.firstCutMin) - TEMPLATE_MIN_AGE_DAYS;
  const earliestDay = dayOf(o.historyFirstMin) + 1;
  const out: TemplateWindow[] = [];
  for (let day = dayOf(o.fromMin); dayStartMin(day) < o.toMin; day++) {
    const working = o.calendar.isWorkingDay(noonMs(day));
    let chosen: number | null = null;
    let fallback: number | null = null;
    for (let k = Math.ceil((day - latestDay) / 7); ; k++) {
      const src = day - 7 * k; // real day of the template
      if (src < earliestDay) break;
      const orig = src - shiftDays;
      if (o.planted.some(([a, b]) => orig >= a && orig < b)) continue;
      fallback ??= src;
      if (o.calendar.isWorkingDay(noonMs(orig)) === working) {
        chosen = src;
        break;
      }
    }
    const src = chosen ?? fallback;
    if (src === null) continue; // no template left (a gap longer than the history): nothing
    const fromMin = Math.max(o.fromMin, dayStartMin(day));
    const toMin = Math.min(o.toMin, dayStartMin(day + 1));
    out.push({ fromMin, toMin, deltaMin: (day - src) * DAY_MIN + o.shiftMin });
  }
  return out;
}
