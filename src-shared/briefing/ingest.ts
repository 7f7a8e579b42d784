// Filling the rollups: in bulk from the demo dataset's binary history (one pass over the
// columns, no per-row objects), or one live case at a time from a protocol Case.
//
// How the history table's columns become evaluation facts (src-shared/dataset/cases.ts):
// - reportedAt (minutes) → reportedAt; the table has no registration time, so a registered
//   (not voided) case counts as registered in its report week (registration takes minutes).
// - voided (outcome 1): voided at its report time; never registered, dispatched or due.
// - self-handled: closed on time at its report time, no department, no deadline.
// - dispatched at reportedAt + dispatchDelay, unless that is not before the history's end (then
//   it was still waiting for dispatch); closed at dispatch + handlingDuration when `closed`;
//   `onTime` is the recorded verdict.
// - the deadline is needed only for cases closed late or still open (a case closed on time was
//   never open past its deadline): dispatch + the class's time limit on the project calendar,
//   as deadline.ts dueAt computes it for a case with no suspensions.

import type { CasesTable } from '../dataset/cases';
import { NO_DEPARTMENT } from '../dataset/cases';
import type {
  DatasetManifest,
  Department,
  DivisionsFile,
  GridRecord,
  MajorCategory,
  MinorCategory,
} from '../dataset/types';
import type { WorkingCalendar } from '../domain/calendar';
import { defaultCalendar, parseShanghai } from '../domain/calendar';
import { CASE_SOURCES, PRIORITIES } from '../domain/case-model';
import { DISPATCH_LIMIT_MS, limitToMs } from '../domain/deadline';
import { firstReporterKindOf } from '../domain/evaluation';
import type { Case } from '../protocol/entities';
import type { BriefingDims } from './dims';
import { dimsFromDataset } from './dims';
import type { RollupCase } from './rollups';
import {
  BriefingRollups,
  F_CLOSED,
  F_CLOSED_ON_TIME,
  F_DISPATCHED,
  F_DISPATCHED_ON_TIME,
  F_DUE_DISPATCH,
  F_OVERDUE_OPEN,
  F_REWORKED,
  fileBacklogWeeks,
  NB,
  NF,
  NI,
} from './rollups';
import { HOURS_PER_WEEK, weekEndMs } from './weeks';

const MINUTE_MS = 60_000;

/** What ingest reads of grids.json, categories.json and departments.json. */
export type HistoryGrid = Pick<GridRecord, 'code' | 'villageCode' | 'townCode'>;
export interface HistoryCatalog {
  majors: readonly MajorCategory[];
  minors: ReadonlyArray<
    Pick<MinorCategory, 'code' | 'majorCode' | 'nameZh' | 'nameEn' | 'departmentCode' | 'timeLimit'>
  >;
}
const DAY_MIN = 1440;
const SHANGHAI_OFFSET_MIN = 480;

export interface IngestHistoryOptions {
  /** manifest.history: the history covers [firstDay 00:00, referenceMinute). */
  history: Pick<DatasetManifest['history'], 'firstDay' | 'referenceMinute'>;
  /** manifest.region: the city. */
  region: DatasetManifest['region'];
  /** divisions.json, for town and village names (codes stand in without it). */
  divisions?: Pick<DivisionsFile, 'towns' | 'villages'>;
  /** Working calendar for deadlines (default: the built-in one). */
  calendar?: WorkingCalendar;
  /**
   * The table's times were moved by this much (the server moves the history by whole weeks to
   * now): deadlines are worked out on the calendar of the ORIGINAL dates, as the generator
   * did, then moved — a 2025 history moved into 2026 keeps its own holidays (default 0).
   */
  calendarShiftMs?: number;
  /** Only rows [from, to) — slices built separately (e.g. in workers) merge into the whole. */
  rows?: { from: number; to: number };
  /** Dimensions to reuse (slices that will be merged must share them). */
  dims?: BriefingDims;
  /** Rollups as of this instant instead of the history's end (ms). */
  asOfMs?: number;
}

/** Builds the dimension tables of a dataset (exported so slices can share one). */
export function datasetDims(
  grids: readonly HistoryGrid[],
  catalog: HistoryCatalog,
  departments: readonly Department[],
  region: DatasetManifest['region'],
  divisions?: Pick<DivisionsFile, 'towns' | 'villages'>,
): BriefingDims {
  return dimsFromDataset({
    city: region,
    grids,
    towns: divisions?.towns,
    villages: divisions?.villages,
    majors: catalog.majors,
    minors: catalog.minors,
    departments,
  });
}

/** Minutes between the first and the last report of rows [from, to) (the table is sorted by it). */
function reportedAtSpan(cases: CasesTable, from: number, to: number): number {
  return cases.reportedAt[to - 1] - cases.reportedAt[from];
}

/** Village index of each grid (the cases table's `grid` column → dims village). */
export function gridVillages(dims: BriefingDims, grids: readonly HistoryGrid[]): Int32Array {
  return Int32Array.from(grids, (g) => {
    const v = dims.village(g.villageCode);
    if (v < 0) throw new RangeError(`grid ${g.code}: village ${g.villageCode} not in dims`);
    return v;
  });
}

/** Rollups of the history table in one pass over its columns. */
export function ingestHistory(
  cases: CasesTable,
  grids: readonly HistoryGrid[],
  catalog: HistoryCatalog,
  departments: readonly Department[],
  options: IngestHistoryOptions,
): BriefingRollups {
  const dims = options.dims ?? datasetDims(grids, catalog, departments, options.region, options.divisions);
  if (dims.nMinors !== catalog.minors.length || dims.nDepartments !== departments.length) {
    throw new RangeError('dims do not match the catalogue or the departments');
  }
  const first = parseShanghai(options.history.firstDay);
  if (!first.ok) throw new RangeError(`history.firstDay: ${first.reason}`);
  const refMin = options.history.referenceMinute;
  const asOfMs = options.asOfMs ?? refMin * MINUTE_MS;
  const asOfMin = asOfMs / MINUTE_MS;
  const out = new BriefingRollups(dims, { asOfMs, coverageStartMs: first.value });
  const calendar = options.calendar ?? defaultCalendar();

  const nV = dims.nVillages;
  const nDs = dims.nDeptSlots;
  const nS = dims.nSources;
  const nT = dims.nTowns;
  const gridVillage = gridVillages(dims, grids);
  const villageTown = dims.villageTown;
  const limitMs = Float64Array.from(catalog.minors, (m) => limitToMs(m.timeLimit, calendar));
  const natural = Uint8Array.from(catalog.minors, (m) => (m.timeLimit.unit === 'hours' ? 1 : 0));
  const publicSource = Uint8Array.from(CASE_SOURCES, (s) => (firstReporterKindOf(s) === 'public' ? 1 : 0));
  const calShift = options.calendarShiftMs ?? 0;
  const dueAt = (c: number, dispatchedMs: number): number =>
    natural[c] === 1
      ? dispatchedMs + limitMs[c]
      : calendar.addWorkingTime(dispatchedMs - calShift, limitMs[c]) + calShift;

  const { catVillage, heat, catSource, intake, flow, backlog } = out;
  const from = options.rows?.from ?? 0;
  const to = Math.min(options.rows?.to ?? cases.rowCount, cases.rowCount);
  // Weeks that will be mostly filled start dense (a week's rows against the cube's cells).
  const spanWeeks = to > from ? (reportedAtSpan(cases, from, to) + 1) / (7 * DAY_MIN) : 1;
  const rowsPerWeek = (to - from) / Math.max(1, spanWeeks);
  for (const cube of [catVillage, heat, catSource, intake, flow])
    cube.startDense = rowsPerWeek > cube.cells / 8;
  // Module constants as locals: bundlers' CommonJS interop can turn imported bindings into
  // getter calls, which the hot loop below would pay ~10 times a row.
  const [fClosed, fClosedOnTime, fDispatched, fDispatchedOnTime, fReworked, fDueDispatch, fOverdueOpen] = [
    F_CLOSED,
    F_CLOSED_ON_TIME,
    F_DISPATCHED,
    F_DISPATCHED_ON_TIME,
    F_REWORKED,
    F_DUE_DISPATCH,
    F_OVERDUE_OPEN,
  ];
  const dispatchLimitMin = Float64Array.from(PRIORITIES, (p) => DISPATCH_LIMIT_MS[p] / MINUTE_MS);
  const weekOfMin = (min: number): number =>
    Math.floor((Math.floor((min + SHANGHAI_OFFSET_MIN) / DAY_MIN) + 3) / 7);
  /** min(end of week w, asOf) in minutes. */
  const cutMin = (w: number): number => Math.min(weekEndMs(w) / MINUTE_MS, asOfMin);
  const [nf, ni, nb, hoursPerWeek, noDeptSlot, nDepartments] = [
    NF,
    NI,
    NB,
    HOURS_PER_WEEK,
    dims.noDeptSlot,
    dims.nDepartments,
  ];
  const {
    reportedAt,
    category,
    grid,
    source,
    priority,
    outcome,
    dispatchDelay,
    handlingDuration,
    closed,
    onTime,
    rework,
    selfHandled,
    department,
  } = cases;
  for (let i = from; i < to; i++) {
    const rep = reportedAt[i];
    if (rep >= asOfMin) continue;
    const v = gridVillage[grid[i]];
    const localMin = rep + SHANGHAI_OFFSET_MIN;
    const day = Math.floor(localMin / DAY_MIN);
    const w = Math.floor((day + 3) / 7);
    intake.add(w, v * ni);
    if (outcome[i] === 1) continue; // voided at report: never registered, dispatched or due
    intake.add(w, v * ni + 1);
    const src = source[i];
    if (publicSource[src] === 1) intake.add(w, v * ni + 2);
    const c = category[i];
    const slotOfWeek = (day - (w * 7 - 3)) * 24 + Math.floor((localMin - day * DAY_MIN) / 60);
    catVillage.add(w, c * nV + v);
    heat.add(w, v * hoursPerWeek + slotOfWeek);
    catSource.add(w, (c * nS + src) * nT + villageTown[v]);
    if (selfHandled[i] === 1) {
      intake.add(w, v * ni + 3);
      continue; // handled on the spot: never dispatched or due
    }
    intake.add(w, v * ni + 4);
    intake.add(w, v * ni + 5); // the history files registration at the report (on time)
    const dep = department[i];
    const base = (v * nDs + (dep === NO_DEPARTMENT || dep >= nDepartments ? noDeptSlot : dep)) * nf;
    const dispMin = rep + dispatchDelay[i];
    const dispatchDue = rep + dispatchLimitMin[priority[i]];
    const wDD = weekOfMin(dispatchDue);
    const cutD = cutMin(wDD);
    const dispatchedBy = dispMin < cutD;
    if (dispatchDue < cutD || dispatchedBy) {
      flow.add(wDD, base + fDueDispatch);
      if (dispatchedBy && dispMin <= dispatchDue) flow.add(wDD, base + fDispatchedOnTime);
    }
    if (dispMin >= asOfMin) continue; // still waiting for dispatch
    flow.add(weekOfMin(dispMin), base + fDispatched);
    const dispMs = dispMin * MINUTE_MS;
    const due = dueAt(c, dispMs);
    const dueMin = due / MINUTE_MS;
    const wDue = weekOfMin(dueMin);
    const cut = cutMin(wDue);
    const closeMin = dispMin + handlingDuration[i];
    const isClosed = closed[i] === 1;
    const closedBy = isClosed && closeMin < cut;
    const reworked = rework[i] > 0;
    if (dueMin < cut || closedBy) {
      if (reworked) flow.add(wDue, base + fReworked);
      if (closedBy) {
        flow.add(wDue, base + fClosed);
        if (onTime[i] === 1) flow.add(wDue, base + fClosedOnTime);
      } else flow.add(wDue, base + fOverdueOpen);
    }
    if (isClosed && closeMin < asOfMin) {
      fileBacklogWeeks(flow, due, closeMin * MINUTE_MS, base, 1);
    } else if (due < asOfMs) {
      const b = (base / nf) * nb;
      backlog.add(wDue, b);
      if (reworked) backlog.add(wDue, b + 1);
    }
  }
  out.touch();
  return out;
}

/**
 * The history row as a RollupCase (the same facts ingestHistory derives; used to check that
 * bulk and one-at-a-time ingest agree, and to remove or update a historical case).
 */
export function historyRowAsCase(
  cases: CasesTable,
  i: number,
  gridVillage: ArrayLike<number>,
  catalog: Pick<HistoryCatalog, 'minors'>,
  historyEndMs: number,
  calendar: WorkingCalendar = defaultCalendar(),
  calendarShiftMs = 0,
): RollupCase {
  const rep = cases.reportedAt[i] * MINUTE_MS;
  const c = cases.category[i];
  const voided = cases.outcome[i] === 1;
  const self = cases.selfHandled[i] === 1;
  const disp = rep + cases.dispatchDelay[i] * MINUTE_MS;
  const dispatched = !voided && !self && disp < historyEndMs;
  const limit = catalog.minors[c].timeLimit;
  const due = !dispatched
    ? null
    : limit.unit === 'hours'
      ? disp + limitToMs(limit, calendar)
      : calendar.addWorkingTime(disp - calendarShiftMs, limitToMs(limit, calendar)) + calendarShiftMs;
  const closedAt = self
    ? rep
    : dispatched && cases.closed[i] === 1
      ? disp + cases.handlingDuration[i] * MINUTE_MS
      : null;
  const dep = cases.department[i];
  return {
    reportedAt: rep,
    category: c,
    village: gridVillage[cases.grid[i]],
    source: cases.source[i],
    priority: cases.priority[i],
    registeredAt: voided ? null : rep,
    dispatchedAt: dispatched ? disp : null,
    dueAt: due,
    closedAt,
    closedOnTime: closedAt === null ? undefined : self || cases.onTime[i] === 1,
    voidedAt: voided ? rep : null,
    reworkCount: cases.rework[i],
    department: dep === NO_DEPARTMENT ? -1 : dep,
    selfHandled: self,
  };
}

/** A live protocol Case as a RollupCase; null when its village or class is not in the dims. */
export function rollupCaseFromCase(c: Case, dims: BriefingDims): RollupCase | null {
  const village = dims.village(c.villageCode);
  const category = dims.minor(c.categoryCode);
  if (village < 0 || category < 0) return null;
  let department = -1;
  if (c.dispatchedAt !== null && !c.selfHandled) {
    department = c.assignee?.kind === 'department' ? dims.department(c.assignee.id) : -1;
    if (department < 0) department = dims.data.minors[category].department;
  }
  return {
    reportedAt: c.reportedAt,
    category,
    village,
    source: CASE_SOURCES.indexOf(c.source),
    priority: PRIORITIES.indexOf(c.priority),
    // a self-handled case is filed already handled: registered at its report
    registeredAt: c.registeredAt ?? (c.selfHandled ? c.reportedAt : null),
    dispatchedAt: c.selfHandled ? null : c.dispatchedAt,
    dueAt: c.selfHandled ? null : c.dueAt,
    closedAt: c.closedAt,
    voidedAt: c.voidedAt ?? (c.state === 'voided' ? c.reportedAt : null),
    reworkCount: c.reworkCount,
    department,
    selfHandled: c.selfHandled,
    // 准确派遣率 (desk figures): the approved returns, and whether one still awaits re-dispatch.
    ...(c.returnCount ? { returnCount: c.returnCount } : {}),
    ...(c.state === 'returned' ? { awaitingRedispatch: true } : {}),
    // On time is judged at the handler's feedback (处理反馈) against its deadline, not at the
    // checker's close: the check has its own clock (按时核查率).
    ...(c.closedAt !== null && c.dueAt !== null && !c.selfHandled
      ? { closedOnTime: (c.feedbackAt ?? c.closedAt) <= c.dueAt }
      : {}),
  };
}
