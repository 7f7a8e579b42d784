// One year of case history as typed arrays (no per-row objects): realistic rhythm (hour of day,
// weekday/weekend, holidays, a mild season and trend), a skewed category mix that varies by
// town, hot grids, a source mix dominated by officer patrols that are mostly self-handled
// (前置处理 ≈ 3/4 of patrol findings, a few per cent from citizens and the 12345 hotline), and outcomes
// calibrated to Dongguan's published figures: every dispatched case closes (no never-closing
// tail), ≈ 95 % of them within their category's limit and the rest a little late, a few after an
// approved suspension (clock paused, on time), rework ≈ 6 %; emergencies and urgent cases almost
// never late, late ones closed within two days of the deadline. So the open workload at the
// history's end is what the arrival rate and handling times imply (a few thousand). Plus planted
// rises, drifts and laggards (PlantedRiseSpec, PlantedLaggardSpec; the default lists and what
// they are for are in planted.ts).

import type { Rng } from '../../src-shared/domain/geo';
import { createRng } from '../../src-shared/domain/geo';
import { CASE_SOURCES, PRIORITIES } from '../../src-shared/domain/case-model';
import type { CasesTable } from '../../src-shared/dataset/cases';
import { allocCases, LATE_OVERRUN_MAX_MIN, NO_DEPARTMENT } from '../../src-shared/dataset/cases';
import type {
  Department,
  MajorCategory,
  MinorCategory,
  PlantedLaggard,
  PlantedLaggardSpec,
  PlantedRise,
  PlantedRiseSpec,
} from '../../src-shared/dataset/types';
import {
  dayStartMinute,
  formatDay,
  isHoliday,
  MIN_PER_DAY,
  parseDay,
  TZ_OFFSET_MIN,
  WORK_MINUTES_PER_DAY,
  weekday,
  WorkdayTable,
} from './calendar-lite';
import type { Geography } from './geography';
import type { GridModel } from './model';
import type { OfficersResult } from './people';
import { AliasTable, apportion, lognormal, samplePointInGrid } from './sampling';

export const HISTORY_DAYS = 365;

/** Relative report volume per local hour: low at night, peaks 9–11 and 14–17. */
export const HOUR_WEIGHTS = [
  0.22, 0.14, 0.09, 0.07, 0.07, 0.12, 0.35, 0.85, 1.6, 2.3, 2.5, 2.0, 1.15, 1.05, 1.9, 2.3, 2.25, 1.75, 1.1,
  0.9, 0.8, 0.65, 0.45, 0.3,
];
/** Sunday … Saturday */
export const WEEKDAY_FACTORS = [0.62, 1.0, 1.02, 1.0, 1.0, 0.97, 0.72];
export const HOLIDAY_FACTOR = 0.55;

/** In CASE_SOURCES order: patrol, citizen, video, hotline, department, higher_level, inspection. */
export const SOURCE_MIX: Readonly<Record<(typeof CASE_SOURCES)[number], number>> = {
  patrol: 0.79,
  citizen: 0.04,
  video: 0.05,
  hotline: 0.04,
  department: 0.03,
  higher_level: 0.01,
  inspection: 0.04,
};
/** Voided at verification (duplicates 重复上报, not in scope): ≈ 2.5 % of reports. */
export const VOID_RATE: Readonly<Record<(typeof CASE_SOURCES)[number], number>> = {
  patrol: 0.015,
  citizen: 0.12,
  video: 0.06,
  hotline: 0.08,
  department: 0.03,
  higher_level: 0.01,
  inspection: 0.02,
};
/** Probability that a patrol finding is fixed on the spot, by priority (emergency, urgent, normal). */
// ≈ 77 % of patrol findings, ≈ 61 % of all reports (the live simulator: 70 % of all reports)
const SELF_HANDLE_PATROL = [0, 0.5, 0.92];
const SELF_HANDLE_INSPECTION = 0.25;
const MOBILE_SQUAD_SHARE = 0.08;
/** Closures the check sends back 返工: ≈ 6 %, as the live desks (desk-simulator REWORK_RATE). */
const REWORK_RATE = 0.06;
/** Generator 1.2.0's rework rate: the draws are still made as it made them (see the row loop). */
const DRAW_REWORK_RATE = 0.115;
/** Emergencies and urgent cases are almost never late (emergency, urgent). */
const URGENT_ON_TIME = [0.995, 0.985];

/** Dispatched cases (never 特急) suspended with approval (挂账/缓办): the clock pauses, they close later, on time. */
const SUSPEND_RATE = 0.012;
/**
 * Base probability that a routine (normal-priority) dispatched case is closed within its time
 * limit (varies by town ±2 % and by major class ±2 %; × 0.7 after a rework); emergencies and
 * urgent cases: URGENT_ON_TIME. ≈ 95.7 % of dispatched cases on time overall (1.2.0: ≈ 90 %).
 */
const ON_TIME_BASE = 0.935;

export interface HistoryOptions {
  cases: number;
  referenceDate: string;
  /**
   * Planted rises (for the weekly briefing): the extra cases are drawn from the rise's town and
   * major class, interleaved with the day's other rows.
   */
  plantedRises: readonly PlantedRiseSpec[];
  /** Planted laggards: lower on-time closure for the area's dispatched cases in the window. */
  plantedLaggards?: readonly PlantedLaggardSpec[];
}

export interface HistoryResult {
  table: CasesTable;
  firstDay: number;
  lastDay: number;
  referenceMinute: number;
  rises: PlantedRise[];
  laggards: PlantedLaggard[];
}

export function generateHistory(
  geo: Geography,
  model: GridModel,
  catalog: { majors: MajorCategory[]; minors: MinorCategory[] },
  departments: Department[],
  officers: OfficersResult,
  seed: string,
  opts: HistoryOptions,
): HistoryResult {
  const rng = createRng(`${seed}/history`);
  const lastDay = parseDay(opts.referenceDate);
  const firstDay = lastDay - HISTORY_DAYS + 1;
  const referenceMinute = dayStartMinute(lastDay + 1);
  const work = new WorkdayTable(firstDay - 7, lastDay + 400);
  const nGrids = geo.grids.length;
  const nTowns = geo.towns.length;
  const minors = catalog.minors;
  const nCat = minors.length;

  // ---- per-category attributes as arrays
  const majorIndex = new Map(catalog.majors.map((m, i) => [m.code, i]));
  const depIndex = new Map(departments.map((d, i) => [d.code, i]));
  const catMajor = Int32Array.from(minors, (c) => majorIndex.get(c.majorCode)!);
  const catPriority = Uint8Array.from(minors, (c) => PRIORITIES.indexOf(c.priority));
  const catDept = Uint8Array.from(minors, (c) => depIndex.get(c.departmentCode)!);
  const catLimitUnit = Uint8Array.from(minors, (c) => (c.timeLimit.unit === 'hours' ? 0 : 1));
  const catLimitMin = Float64Array.from(minors, (c) =>
    c.timeLimit.unit === 'hours'
      ? c.timeLimit.value * 60
      : c.timeLimit.unit === 'working_hours'
        ? c.timeLimit.value * 60
        : c.timeLimit.value * WORK_MINUTES_PER_DAY,
  );

  // ---- spatial and category mixes
  const townOf = Int32Array.from(geo.grids, (g) => g.townIndex);
  const gridTable = new AliasTable(model.caseIntensity);
  const townWeight = new Float64Array(nTowns);
  for (let g = 0; g < nGrids; g++) townWeight[townOf[g]] += model.caseIntensity[g];
  const townCatWeights: Float64Array[] = [];
  const townCatTables: AliasTable[] = [];
  const townPerf = new Float64Array(nTowns);
  for (let t = 0; t < nTowns; t++) {
    const majorFactor = catalog.majors.map(() => lognormal(rng, 0.3));
    const w = Float64Array.from(minors, (c, i) => c.demoWeight * majorFactor[catMajor[i]]);
    townCatWeights.push(w);
    townCatTables.push(new AliasTable(w));
    townPerf[t] = 0.02 * rng.normal();
  }
  const majorPerf = Float64Array.from(catalog.majors, () => 0.02 * rng.normal());
  const sourceWeights = CASE_SOURCES.map((s) => SOURCE_MIX[s]);
  const sourceTable = new AliasTable(sourceWeights);
  const voidRate = Float64Array.from(CASE_SOURCES, (s) => VOID_RATE[s]);
  const PATROL = CASE_SOURCES.indexOf('patrol');
  const INSPECTION = CASE_SOURCES.indexOf('inspection');

  const minuteWeights = new Float64Array(MIN_PER_DAY);
  for (let m = 0; m < MIN_PER_DAY; m++) minuteWeights[m] = HOUR_WEIGHTS[Math.floor(m / 60)];
  const minuteTable = new AliasTable(minuteWeights);

  // ---- day volumes
  const dayWeights = new Float64Array(HISTORY_DAYS);
  for (let k = 0; k < HISTORY_DAYS; k++) {
    const day = firstDay + k;
    const holiday = isHoliday(day) && !work.isWorkday(day);
    const wd =
      work.isWorkday(day) && !(weekday(day) >= 1 && weekday(day) <= 5) ? 0.95 : WEEKDAY_FACTORS[weekday(day)];
    const season = 1 + 0.08 * Math.sin((2 * Math.PI * (k - 100)) / 365);
    const trend = 0.97 + 0.06 * (k / HISTORY_DAYS);
    dayWeights[k] = (holiday ? HOLIDAY_FACTOR : wd) * season * trend * lognormal(rng, 0.04);
  }
  const dayCounts = apportion(opts.cases, dayWeights);

  // ---- planted rises: extra cases per day (first pass, so the table can be allocated exactly)
  const rises = opts.plantedRises.map((r) => {
    const t = geo.towns.findIndex((x) => x.row.code === r.townCode);
    const mi = majorIndex.get(r.majorCode);
    if (t < 0 || mi === undefined) throw new Error(`planted rise ${r.id}: unknown town or major`);
    if (!(r.weeks > 0 && r.factor > 1))
      throw new Error(`planted rise ${r.id}: weeks > 0 and factor > 1 required`);
    const from = parseDay(r.fromDay);
    const w = townCatWeights[t];
    let all = 0;
    let major = 0;
    const catW = new Float64Array(nCat);
    for (let c = 0; c < nCat; c++) {
      all += w[c];
      if (catMajor[c] === mi) {
        major += w[c];
        catW[c] = w[c];
      }
    }
    const gridW = Float64Array.from(model.caseIntensity, (v, g) => (townOf[g] === t ? v : 0));
    const townShare = townWeight[t] / townWeight.reduce((a, b) => a + b, 0);
    return {
      spec: r,
      from,
      to: from + 7 * r.weeks - 1,
      share: townShare * (major / all),
      catTable: new AliasTable(catW),
      gridTable: new AliasTable(gridW),
      extra: 0,
      carry: 0,
    };
  });
  const extraPerDay: Int32Array[] = rises.map(() => new Int32Array(HISTORY_DAYS));

  // ---- planted laggards: per grid, the product of the on-time factors of the laggards covering
  // it, per day (one Float64Array per laggard keeps the lookup a multiply in the row loop)
  const laggards = (opts.plantedLaggards ?? []).map((l) => {
    const byTown = geo.towns.findIndex((x) => x.row.code === l.areaCode);
    const byVillage = geo.villages.findIndex((x) => x.row.code === l.areaCode);
    if (byTown < 0 && byVillage < 0) throw new Error(`planted laggard ${l.id}: unknown area ${l.areaCode}`);
    if (!(l.weeks > 0 && l.onTimeFactor > 0 && l.onTimeFactor < 1)) {
      throw new Error(`planted laggard ${l.id}: weeks > 0 and 0 < onTimeFactor < 1 required`);
    }
    const from = parseDay(l.fromDay);
    const inArea = Uint8Array.from(geo.grids, (g) =>
      (byTown >= 0 ? g.townIndex === byTown : g.villageIndex === byVillage) ? 1 : 0,
    );
    return { spec: l, from, to: from + 7 * l.weeks - 1, inArea, affected: 0 };
  });
  let total = 0;
  for (let k = 0; k < HISTORY_DAYS; k++) {
    total += dayCounts[k];
    rises.forEach((r, ri) => {
      const day = firstDay + k;
      if (day < r.from || day > r.to) return;
      // a drift (ramp) climbs linearly to `factor` in its last week; a rise holds it throughout
      const factor =
        r.spec.ramp === true
          ? 1 + ((r.spec.factor - 1) * (Math.floor((day - r.from) / 7) + 1)) / r.spec.weeks
          : r.spec.factor;
      const want = dayCounts[k] * r.share * (factor - 1) + r.carry;
      const e = Math.floor(want);
      r.carry = want - e;
      extraPerDay[ri][k] = e;
      r.extra += e;
      total += e;
    });
  }

  // ---- rows
  const tab = allocCases(total);
  const pt = new Int32Array(2);
  const gridStart = officers.gridStart;
  const mobile = officers.mobileIndices;
  let row = 0;
  let minutes = new Uint16Array(0);
  let flags = new Int16Array(0);
  for (let k = 0; k < HISTORY_DAYS; k++) {
    const day = firstDay + k;
    let n = dayCounts[k];
    for (let ri = 0; ri < rises.length; ri++) n += extraPerDay[ri][k];
    if (minutes.length < n) {
      minutes = new Uint16Array(n * 2);
      flags = new Int16Array(n * 2);
    }
    const mins = minutes.subarray(0, n);
    for (let i = 0; i < n; i++) mins[i] = minuteTable.sample(rng);
    mins.sort();
    // which rows of the day are planted extras: flags shuffled among the day's rows
    const fl = flags.subarray(0, n);
    fl.fill(-1);
    let p = dayCounts[k];
    for (let ri = 0; ri < rises.length; ri++) for (let e = 0; e < extraPerDay[ri][k]; e++) fl[p++] = ri;
    if (rises.length > 0) shuffle(fl, rng);
    const start = dayStartMinute(day);
    const lagToday = laggards.filter((l) => day >= l.from && day <= l.to);
    for (let i = 0; i < n; i++, row++) {
      const reportedAt = start + mins[i];
      let g: number;
      let c: number;
      if (fl[i] < 0) {
        g = gridTable.sample(rng);
        c = townCatTables[townOf[g]].sample(rng);
      } else {
        g = rises[fl[i]].gridTable.sample(rng);
        c = rises[fl[i]].catTable.sample(rng);
      }
      samplePointInGrid(geo, g, rng, pt);
      const source = sourceTable.sample(rng);
      let priority = catPriority[c];
      if (priority === 2 && rng.next() < 0.02) priority = 1; // a few escalated complaints
      tab.reportedAt[row] = reportedAt;
      tab.category[row] = c;
      tab.grid[row] = g;
      tab.lon[row] = pt[0];
      tab.lat[row] = pt[1];
      tab.source[row] = source;
      tab.priority[row] = priority;
      // reporter: patrol and inspection findings come from the grid's officers (some patrols
      // from the city mobile squad)
      let reporter = -1;
      if (source === PATROL || source === INSPECTION) {
        const a = gridStart[g];
        const b = gridStart[g + 1];
        reporter =
          source === PATROL && (rng.next() < MOBILE_SQUAD_SHARE || b === a)
            ? mobile[rng.int(mobile.length)]
            : officers.gridOfficers[a + rng.int(b - a)];
      }
      tab.reporter[row] = reporter;

      if (rng.next() < voidRate[source]) {
        tab.outcome[row] = 1;
        tab.department[row] = NO_DEPARTMENT;
        continue; // all durations and flags stay 0
      }
      const selfP =
        source === PATROL ? SELF_HANDLE_PATROL[priority] : source === INSPECTION ? SELF_HANDLE_INSPECTION : 0;
      if (selfP > 0 && rng.next() < selfP) {
        tab.selfHandled[row] = 1;
        tab.closed[row] = 1;
        tab.onTime[row] = 1;
        tab.department[row] = NO_DEPARTMENT;
        tab.handlingDuration[row] = Math.min(240, Math.round(3 + 12 * lognormal(rng, 0.6)));
        continue;
      }
      tab.department[row] = catDept[c];
      const dispatchDelay = dispatchDelayMinutes(rng, priority, reportedAt);
      const dispatchedAt = reportedAt + dispatchDelay;
      if (dispatchedAt >= referenceMinute) {
        tab.dispatchDelay[row] = Math.max(0, referenceMinute - reportedAt);
        continue; // not yet dispatched at the reference time
      }
      tab.dispatchDelay[row] = dispatchDelay;
      const deadline =
        catLimitUnit[c] === 0
          ? dispatchedAt + catLimitMin[c]
          : work.addWorkingMinutes(dispatchedAt, catLimitMin[c]);
      const span = Math.max(10, deadline - dispatchedAt);
      // The random draws are made as generator 1.2.0 made them (rework 11.5 %, its on-time odds),
      // so every row's time, place, class and source — and every later row — stay those of 1.2.0
      // (the briefing's planted-data test judges its false flags on that history); the outcomes
      // follow 1.3.0's odds from the same draws.
      const uRework = rng.next();
      const reworkDraw = uRework < DRAW_REWORK_RATE ? rng.next() : 1;
      const rework = uRework < REWORK_RATE ? (reworkDraw < 0.9 ? 1 : 2) : 0;
      let lagFactor = 1;
      for (const l of lagToday) {
        if (l.inArea[g] === 1) {
          lagFactor *= l.spec.onTimeFactor;
          l.affected++;
        }
      }
      const normalOdds = Math.min(0.995, ON_TIME_BASE + townPerf[townOf[g]] + majorPerf[catMajor[c]]);
      const pDraw =
        Math.min(0.995, normalOdds - (priority === 0 ? 0.05 : 0)) *
        (uRework < DRAW_REWORK_RATE ? 0.7 : 1) *
        lagFactor;
      // never below pDraw: a row late by 1.3.0's odds is late by the draws' too
      const pOnTime = Math.max(
        pDraw,
        (priority < 2 ? URGENT_ON_TIME[priority] : normalOdds * (rework > 0 ? 0.7 : 1)) * lagFactor,
      );
      // 特急 cases are never deferred (缓办 is refused for them, work-rules.ts): a row 1.3.0
      // suspended is closed within its limit instead, from the same number of draws.
      const drawnSuspended = rng.next() < SUSPEND_RATE;
      const suspended = drawnSuspended && priority !== 0;
      const uOnTime = drawnSuspended ? 0 : rng.next();
      const onTime = drawnSuspended || uOnTime < pOnTime;
      // category-dependent: a share of the class's own limit; late ones overrun it by a lognormal
      // share (median ≈ 30 % of the limit, capped at 3 limits and LATE_OVERRUN_MAX_MIN: the centre
      // chases what is late, so it closes within a day or two); an approved suspension adds
      // 1–10 days of paused clock
      const inLimit = (u: number): number =>
        Math.max(5, Math.min(span, Math.round(span * (0.05 + 0.9 * Math.pow(u, 1.4)))));
      let duration: number;
      if (suspended) duration = Math.round(span * (0.3 + 0.6 * rng.next())) + MIN_PER_DAY * (1 + rng.int(10));
      else if (drawnSuspended) {
        duration = inLimit(rng.next());
        rng.int(10); // the draw a suspension makes, so the rows after it stay as 1.3.0 made them
      } else if (uOnTime < pDraw) duration = inLimit(rng.next());
      else {
        const overrun = lognormal(rng, 0.9);
        duration = onTime
          ? inLimit((uOnTime - pDraw) / (pOnTime - pDraw))
          : span + Math.max(1, Math.min(3 * span, LATE_OVERRUN_MAX_MIN, Math.round(span * 0.3 * overrun)));
      }
      tab.rework[row] = rework;
      if (dispatchedAt + duration > referenceMinute) {
        tab.handlingDuration[row] = referenceMinute - dispatchedAt;
      } else {
        tab.closed[row] = 1;
        tab.onTime[row] = onTime ? 1 : 0;
        tab.handlingDuration[row] = duration;
      }
    }
  }
  if (row !== total) throw new Error(`history: wrote ${row} rows, expected ${total}`);

  return {
    table: tab,
    firstDay,
    lastDay,
    referenceMinute,
    rises: rises.map((r) => ({
      id: r.spec.id,
      majorCode: r.spec.majorCode,
      townCode: r.spec.townCode,
      fromDay: formatDay(r.from),
      weeks: r.spec.weeks,
      factor: r.spec.factor,
      ...(r.spec.ramp === true ? { ramp: true } : {}),
      extraCases: r.extra,
    })),
    laggards: laggards.map((l) => ({
      id: l.spec.id,
      areaCode: l.spec.areaCode,
      fromDay: formatDay(l.from),
      weeks: l.spec.weeks,
      onTimeFactor: l.spec.onTimeFactor,
      affectedCases: l.affected,
    })),
  };
}

/** Minutes from report to dispatch; normal-priority reports made at night wait for the morning shift. */
function dispatchDelayMinutes(rng: Rng, priority: number, reportedAt: number): number {
  let d: number;
  if (priority === 0) d = 2 + 5 * lognormal(rng, 0.5);
  else if (priority === 1) d = 4 + 10 * lognormal(rng, 0.6);
  else d = 6 + 16 * lognormal(rng, 0.7);
  if (priority === 2) {
    const mod = (((reportedAt + TZ_OFFSET_MIN) % MIN_PER_DAY) + MIN_PER_DAY) % MIN_PER_DAY;
    if (mod < 7 * 60) d += 7 * 60 + 30 - mod;
    else if (mod >= 22 * 60) d += MIN_PER_DAY - mod + 7 * 60 + 30;
  }
  return Math.min(65_535, Math.round(d));
}

function shuffle(a: Int16Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
