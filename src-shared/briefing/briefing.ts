// The weekly risk briefing 每周研判 for one scope (city, town or village) and one ISO week, from
// the rollups alone: totals with week-over-week and year-over-year change, what rose (categories,
// areas, category × area, hours of the day, days of the week), the rates per area and department,
// the call-in list, normalised figures, the hour × weekday heat grid and the scope's weekly trend.
//
// The baseline of every rising test is the previous `baselineWeeks` weeks scaled by capacity
// (capacity.ts: holidays, weekday mix, partial coverage) and by the city's level trend over those
// weeks: the baseline's mean sits ~4.5 weeks in the past, and a seasonal climb of 1 % a week
// would otherwise read as a 4–5 % "rise" in every cell (enough to flag big cells). The trend is
// a log-linear fit of the city's capacity-normalised weekly totals over the baseline weeks only,
// so this week's own count cannot hide itself; it is taken city-wide because a town's or
// village's total is too noisy to extrapolate, and clamped to ±10 %.
//
// The hour × weekday grid (168 cells) is shown with its expectation but not tested cell by
// cell: a single busy day lifts all 24 of its cells together, which a per-cell test reads as many
// rises; busy hours and busy days are tested as the 24 hours and the 7 days of the week instead.
//
// Cost: reads the chosen week, its baseline weeks and the call-in lookback from the cubes — a
// few million counter reads at most, whatever the number of cases behind them.

import type { WorkingCalendar } from '../domain/calendar';
import { defaultCalendar } from '../domain/calendar';
import { CASE_SOURCES, type CaseSource } from '../domain/case-model';
import { isWithin } from '../domain/codes';
import type { RateWeights } from '../domain/evaluation';
import { DEFAULT_WEIGHTS } from '../domain/evaluation';
import type { DayWeights } from './capacity';
import { CapacityModel, estimateDayWeights } from './capacity';
import type { ResolvedScope } from './dims';
import type { RiseSubject, Texts } from './explain';
import { riseText } from './explain';
import type { AreaDenominators, NormalisedRow } from './normalise';
import { normalise } from './normalise';
import type { CallInItem, CallInOptions, RateTables } from './performance';
import { callInList, rateTables } from './performance';
import type { CellSeries, FamilyResult, RisingTestOptions } from './rising';
import { correctFamilies, DEFAULT_RISING_OPTIONS, scoreCells } from './rising';
import type { BriefingRollups } from './rollups';
import {
  hourOfWeekSlot,
  HOURS_PER_WEEK,
  isoWeekLabel,
  sameWeekLastYear,
  weekEndMs,
  weekOfMs,
  weekStartMs,
} from './weeks';

export const RISING_FAMILIES = [
  'category',
  'minorCategory',
  'area',
  'categoryArea',
  'hour',
  'weekday',
] as const;
export type RisingFamily = (typeof RISING_FAMILIES)[number];

export interface BriefingOptions {
  /** City, town or village code. */
  scope: string;
  /** Week number (weeks.ts); default the last week the rollups cover completely. */
  week?: number;
  /** Baseline: this many weeks before the chosen one (default 8); fewer than 4 covered → no test. */
  baselineWeeks?: number;
  rising?: Partial<RisingTestOptions>;
  /** Flagged items kept per family (default 20). */
  maxItems?: number;
  callIn?: Partial<CallInOptions>;
  weights?: RateWeights;
  denominators?: AreaDenominators;
  /** Day weights (default: estimated from the rollups). */
  dayWeights?: DayWeights;
  /**
   * City-wide cases per week for the level trend (default: the rollups' own totals). A scope
   * slice of the rollups (slice.ts) carries the city's weekly totals for this, so a town's
   * console fits the same trend as the city's.
   */
  levelTotals?: (week: number) => number;
  calendar?: WorkingCalendar;
}

export interface Change {
  count: number;
  delta: number;
  /** delta / count of the earlier week; null when that was 0. */
  ratio: number | null;
}

/** Where the figure comes from, so the UI can open the cases behind it. */
export interface DrillFilter {
  scopeCode: string;
  areaCode?: string;
  majorCode?: string;
  categoryCode?: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday?: number;
  hour?: number;
  fromMs: number;
  toMs: number;
  /**
   * asOf of the rollups the figure was counted from. A figure counts the cases reported before
   * it and not voided before it (rollups.ts: "cases"); the drill-down applies the same rule, so
   * a figure opens exactly its cases. Absent: as of now.
   */
  asOfMs?: number;
}

/**
 * Whether a case is one of a figure's cases as of `asOfMs` (the rollups' rule): reported before
 * it, and not voided before it (a voided report, merged duplicates included, is not a case).
 */
export function countedAsOf(
  c: { reportedAt: number; voidedAt: number | null; state?: string },
  asOfMs = Number.POSITIVE_INFINITY,
): boolean {
  if (!(c.reportedAt < asOfMs)) return false;
  const voidedAt = c.voidedAt ?? (c.state === 'voided' ? c.reportedAt : null);
  return voidedAt === null || voidedAt >= asOfMs;
}

/**
 * Whether a case (or a history row's facts) is inside a drill-down's filter — its period, the
 * seat's scope, the area, class and hour-of-week cell. One rule for the server's drill over the
 * whole record and the console's drill over its cache (voids: countedAsOf).
 */
export function drillMatches(
  f: DrillFilter,
  c: { reportedAt: number; gridCode: string; categoryCode: string },
): boolean {
  if (!(c.reportedAt >= f.fromMs && c.reportedAt < f.toMs)) return false;
  if (!isWithin(c.gridCode, f.scopeCode)) return false;
  if (f.areaCode !== undefined && !isWithin(c.gridCode, f.areaCode)) return false;
  if (f.categoryCode !== undefined && c.categoryCode !== f.categoryCode) return false;
  if (f.majorCode !== undefined && !c.categoryCode.startsWith(f.majorCode)) return false;
  if (f.weekday !== undefined || f.hour !== undefined) {
    const slot = hourOfWeekSlot(c.reportedAt);
    if (f.weekday !== undefined && Math.floor(slot / 24) !== f.weekday) return false;
    if (f.hour !== undefined && slot % 24 !== f.hour) return false;
  }
  return true;
}

export interface RisingItem {
  family: RisingFamily;
  count: number;
  expected: number;
  baselineMean: number;
  ratio: number;
  excess: number;
  p: number;
  pAdjusted: number;
  text: Texts;
  drill: DrillFilter;
}

export interface RisingFamilyReport {
  /** Cells tested in this section (the correction runs over all sections' cells together). */
  tested: number;
  /** Overdispersion α used for the family. */
  alpha: number;
  items: RisingItem[];
  /** Flagged before truncation to maxItems. */
  flaggedCount: number;
}

export interface Briefing {
  scope: { code: string; level: ResolvedScope['level']; name: string };
  week: number;
  weekLabel: string;
  fromMs: number;
  toMs: number;
  /** Share of the week the history covers (1 for a complete week). */
  covered: number;
  baselineWeeks: number[];
  /** City-wide level trend applied to the baseline (1 = flat; clamped to 0.9–1.1). */
  trendFactor: number;
  totals: {
    cases: number;
    expected: number | null;
    weekOverWeek: Change | null;
    yearOverYear: Change | null;
    byMajor: Array<{ code: string; nameZh: string; nameEn: string; count: number; expected: number | null }>;
    /** By source; null at village scope (sources are rolled up per town). */
    bySource: Array<{ source: CaseSource; count: number }> | null;
  };
  rising: Record<RisingFamily, RisingFamilyReport>;
  rates: RateTables;
  callIn: CallInItem[];
  normalised: { scope: NormalisedRow; areas: NormalisedRow[] } | null;
  /** Hour × weekday grid (168, Monday 00 h first): counts and the baseline's expectation. */
  heat: { counts: number[]; expected: number[] | null };
  /** Cases per week in the scope over the whole history (≤ 1 point per week). */
  trend: Array<{ week: number; label: string; count: number; covered: number }>;
  dayWeights: DayWeights;
}

export class BriefingError extends Error {
  override name = 'BriefingError';
  constructor(
    readonly code: 'UNKNOWN_SCOPE' | 'WEEK_OUTSIDE_HISTORY',
    message: string,
  ) {
    super(message);
  }
}

/** Per-scope, per-week sums of the count cubes. */
interface WeekSlice {
  total: number;
  byMinor: Float64Array;
  byMajor: Float64Array;
  byArea: Float64Array;
  /** major × area */
  byMajorArea: Float64Array;
  heat: Float64Array;
}

function sliceWeek(rollups: BriefingRollups, scope: ResolvedScope, week: number): WeekSlice {
  const d = rollups.dims;
  const nA = scope.areas.length;
  const s: WeekSlice = {
    total: 0,
    byMinor: new Float64Array(d.nMinors),
    byMajor: new Float64Array(d.nMajors),
    byArea: new Float64Array(nA),
    byMajorArea: new Float64Array(d.nMajors * nA),
    heat: new Float64Array(HOURS_PER_WEEK),
  };
  const nV = d.nVillages;
  const inScope = scope.inScope;
  const areaOf = scope.areaOf;
  const minorMajor = d.minorMajor;
  const addCat = (m: number, v: number, value: number) => {
    const major = minorMajor[m];
    s.total += value;
    s.byMinor[m] += value;
    s.byMajor[major] += value;
    const a = areaOf[v];
    if (a >= 0) {
      s.byArea[a] += value;
      s.byMajorArea[major * nA + a] += value;
    }
  };
  const cat = rollups.catVillage.denseWeek(week);
  if (cat !== null) {
    for (let m = 0, k = 0; m < d.nMinors; m++) {
      for (let v = 0; v < nV; v++, k++) if (cat[k] !== 0 && inScope[v] === 1) addCat(m, v, cat[k]);
    }
  } else {
    rollups.catVillage.forEachInWeek(week, (cell, value) => {
      const v = cell % nV;
      if (inScope[v] === 1) addCat((cell - v) / nV, v, value);
    });
  }
  const heat = rollups.heat.denseWeek(week);
  if (heat !== null) {
    for (let v = 0; v < nV; v++) {
      if (inScope[v] === 0) continue;
      const row = v * HOURS_PER_WEEK;
      for (let h = 0; h < HOURS_PER_WEEK; h++) s.heat[h] += heat[row + h];
    }
  } else {
    rollups.heat.forEachInWeek(week, (cell, value) => {
      const slot = cell % HOURS_PER_WEEK;
      if (inScope[(cell - slot) / HOURS_PER_WEEK] === 1) s.heat[slot] += value;
    });
  }
  return s;
}

/** Cases of the scope in one week (the trend line), without building the whole slice. */
function scopeTotal(rollups: BriefingRollups, scope: ResolvedScope, week: number): number {
  if (scope.level === 'city') return rollups.catVillage.weekTotal(week);
  const nV = rollups.dims.nVillages;
  const inScope = scope.inScope;
  let total = 0;
  const cat = rollups.catVillage.denseWeek(week);
  if (cat !== null) {
    for (let k = 0; k < cat.length; k++) if (cat[k] !== 0 && inScope[k % nV] === 1) total += cat[k];
  } else {
    rollups.catVillage.forEachInWeek(week, (cell, value) => {
      if (inScope[cell % nV] === 1) total += value;
    });
  }
  return total;
}

/** The last week the rollups cover completely (null when none is). */
export function lastCompleteWeek(rollups: BriefingRollups): number | null {
  let w = weekOfMs(rollups.asOfMs - 1);
  if (weekEndMs(w) > rollups.asOfMs) w--;
  return weekStartMs(w) >= rollups.coverageStartMs ? w : null;
}

function coveredShare(rollups: BriefingRollups, week: number): number {
  const a = weekStartMs(week);
  const b = weekEndMs(week);
  return Math.max(0, Math.min(b, rollups.asOfMs) - Math.max(a, rollups.coverageStartMs)) / (b - a);
}

function change(now: number, before: number): Change {
  return { count: before, delta: now - before, ratio: before === 0 ? null : (now - before) / before };
}

export function analyseWeek(rollups: BriefingRollups, options: BriefingOptions): Briefing {
  const d = rollups.dims;
  const scope = d.resolveScope(options.scope);
  if (scope === null)
    throw new BriefingError(
      'UNKNOWN_SCOPE',
      `${options.scope} is not a city, town or village of the rollups`,
    );
  const week = options.week ?? lastCompleteWeek(rollups);
  if (week === null || coveredShare(rollups, week) === 0) {
    throw new BriefingError(
      'WEEK_OUTSIDE_HISTORY',
      `week ${week === null ? '—' : isoWeekLabel(week)} is outside the history`,
    );
  }
  const calendar = options.calendar ?? defaultCalendar();
  const dayWeights = options.dayWeights ?? estimateDayWeights(rollups, calendar);
  const cap = new CapacityModel(dayWeights, rollups.coverageStartMs, rollups.asOfMs, calendar);
  const slices = new Map<number, WeekSlice>();
  const slice = (w: number): WeekSlice => {
    let s = slices.get(w);
    if (s === undefined) {
      s = sliceWeek(rollups, scope, w);
      slices.set(w, s);
    }
    return s;
  };
  const nBase = options.baselineWeeks ?? 8;
  const baselineWeeks: number[] = [];
  for (let w = week - nBase; w < week; w++) if (cap.week(w) > 0) baselineWeeks.push(w);
  const canTest = baselineWeeks.length >= Math.min(4, nBase);
  const cur = slice(week);
  const trendFactor = canTest ? levelTrend(rollups, cap, baselineWeeks, week, options.levelTotals) : 1;
  const curCap = cap.week(week) * trendFactor;
  let baseCap = 0;
  for (const w of baselineWeeks) baseCap += cap.week(w);
  const expectFrom = (pick: (s: WeekSlice) => number): number | null => {
    if (!canTest || baseCap <= 0) return null;
    let sum = 0;
    for (const w of baselineWeeks) sum += pick(slice(w));
    return (sum * curCap) / baseCap;
  };

  // ---- totals
  const full = (w: number) => coveredShare(rollups, w) === 1;
  const lastYear = sameWeekLastYear(week);
  const sources = sourceCounts(rollups, scope, week);
  const totals: Briefing['totals'] = {
    cases: cur.total,
    expected: expectFrom((s) => s.total),
    weekOverWeek: full(week - 1) ? change(cur.total, slice(week - 1).total) : null,
    yearOverYear: full(lastYear) ? change(cur.total, slice(lastYear).total) : null,
    byMajor: d.data.majors.map((m, i) => ({
      code: m.code,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      count: cur.byMajor[i],
      expected: expectFrom((s) => s.byMajor[i]),
    })),
    bySource: sources,
  };

  // ---- rising
  const risingOptions = { ...DEFAULT_RISING_OPTIONS, ...options.rising };
  const maxItems = options.maxItems ?? 20;
  const fromMs = weekStartMs(week);
  const toMs = weekEndMs(week);
  const drillBase = { scopeCode: scope.code, fromMs, toMs, asOfMs: rollups.asOfMs };
  const trendOf = (w: number) => (w === week ? trendFactor : 1);
  const weekCap = (w: number, n: number) => new Float64Array(n).fill(cap.week(w) * trendOf(w));
  const fold = (h: Float64Array, cells: number, cellOf: (k: number) => number, scale = 1) => {
    const out = new Float64Array(cells);
    for (let k = 0; k < HOURS_PER_WEEK; k++) out[cellOf(k)] += h[k] * scale;
    return out;
  };
  const hourOfSlot = (k: number) => k % 24;
  const dayOfSlot = (k: number) => Math.floor(k / 24);
  const series = (
    pick: (s: WeekSlice) => Float64Array,
    capacity: (w: number, n: number) => Float64Array,
  ): CellSeries => {
    const current = pick(cur);
    return {
      current,
      capacity: capacity(week, current.length),
      baseline: baselineWeeks.map((w) => ({ counts: pick(slice(w)), capacity: capacity(w, current.length) })),
    };
  };
  const nA = scope.areas.length;
  const majors = d.data.majors;
  const minors = d.data.minors;
  type Describe = (cell: number) => {
    subject: RiseSubject;
    drill: Omit<DrillFilter, 'scopeCode' | 'fromMs' | 'toMs'>;
  };
  const scored: Array<{ family: RisingFamily; result: FamilyResult; describe: Describe }> = [];
  const run = (family: RisingFamily, s: CellSeries, describe: Describe): void => {
    const result: FamilyResult =
      !canTest || s.current.length === 0
        ? { tested: 0, alpha: 0, flagged: [], results: [] }
        : scoreCells(s, risingOptions);
    scored.push({ family, result, describe });
  };
  const report = ({ family, result: r, describe }: (typeof scored)[number]): RisingFamilyReport => {
    return {
      tested: r.tested,
      alpha: r.alpha,
      flaggedCount: r.flagged.length,
      items: r.flagged.slice(0, maxItems).map((c) => {
        const { subject, drill } = describe(c.cell);
        return {
          family,
          count: c.count,
          expected: c.expected,
          baselineMean: c.baselineMean,
          ratio: c.ratio,
          excess: c.count - c.expected,
          p: c.p,
          pAdjusted: c.pAdjusted,
          text: riseText(subject, c.expected, c.count, c.pAdjusted),
          drill: { ...drillBase, ...drill },
        };
      }),
    };
  };
  run(
    'category',
    series((s) => s.byMajor, weekCap),
    (i) => ({
      subject: {
        kind: 'category',
        categoryZh: majors[i].nameZh,
        categoryEn: majors[i].nameEn,
        scope: scope.name,
      },
      drill: { majorCode: majors[i].code },
    }),
  );
  run(
    'minorCategory',
    series((s) => s.byMinor, weekCap),
    (i) => ({
      subject: {
        kind: 'category',
        categoryZh: minors[i].nameZh,
        categoryEn: minors[i].nameEn,
        scope: scope.name,
      },
      drill: { categoryCode: minors[i].code },
    }),
  );
  run(
    'area',
    series((s) => s.byArea, weekCap),
    (i) => ({
      subject: { kind: 'area', area: scope.areas[i].name },
      drill: { areaCode: scope.areas[i].code },
    }),
  );
  run(
    'categoryArea',
    series((s) => s.byMajorArea, weekCap),
    (cell) => {
      const a = cell % nA;
      const m = (cell - a) / nA;
      return {
        subject: {
          kind: 'categoryArea',
          categoryZh: majors[m].nameZh,
          categoryEn: majors[m].nameEn,
          area: scope.areas[a].name,
        },
        drill: { areaCode: scope.areas[a].code, majorCode: majors[m].code },
      };
    },
  );
  run(
    'hour',
    series(
      (s) => fold(s.heat, 24, hourOfSlot),
      (w) => fold(cap.hourSlots(w), 24, hourOfSlot, trendOf(w)),
    ),
    (h) => ({ subject: { kind: 'hour', hour: h, scope: scope.name }, drill: { hour: h } }),
  );
  run(
    'weekday',
    series(
      (s) => fold(s.heat, 7, dayOfSlot),
      (w) => fold(cap.hourSlots(w), 7, dayOfSlot, trendOf(w)),
    ),
    (day) => ({ subject: { kind: 'weekday', weekday: day, scope: scope.name }, drill: { weekday: day } }),
  );
  correctFamilies(
    scored.map((x) => x.result),
    risingOptions,
  );
  const rising = Object.fromEntries(scored.map((x) => [x.family, report(x)])) as Record<
    RisingFamily,
    RisingFamilyReport
  >;

  // ---- heat grid and its expectation
  let heatExpected: number[] | null = null;
  if (canTest) {
    const curSlots = cap.hourSlots(week).map((v) => v * trendFactor);
    const sum = new Float64Array(HOURS_PER_WEEK);
    const capSum = new Float64Array(HOURS_PER_WEEK);
    for (const w of baselineWeeks) {
      const h = slice(w).heat;
      const c = cap.hourSlots(w);
      for (let k = 0; k < HOURS_PER_WEEK; k++) {
        sum[k] += h[k];
        capSum[k] += c[k];
      }
    }
    heatExpected = Array.from(sum, (v, k) => (capSum[k] > 0 ? (v * curSlots[k]) / capSum[k] : 0));
  }

  // ---- trend over the history
  const trend: Briefing['trend'] = [];
  const first = weekOfMs(rollups.coverageStartMs);
  const last = weekOfMs(rollups.asOfMs - 1);
  for (let w = first; w <= last; w++) {
    const count = slices.get(w)?.total ?? scopeTotal(rollups, scope, w);
    trend.push({ week: w, label: isoWeekLabel(w), count, covered: coveredShare(rollups, w) });
  }

  const weights = options.weights ?? options.callIn?.weights ?? DEFAULT_WEIGHTS;
  return {
    scope: { code: scope.code, level: scope.level, name: scope.name },
    week,
    weekLabel: isoWeekLabel(week),
    fromMs,
    toMs,
    covered: coveredShare(rollups, week),
    baselineWeeks,
    trendFactor,
    totals,
    rising,
    rates: rateTables(rollups, scope, week, weights),
    callIn: callInList(rollups, scope, week, { weights, ...options.callIn }),
    normalised:
      options.denominators === undefined
        ? null
        : normalise(d, scope, cur.total, cur.byArea, options.denominators),
    heat: { counts: Array.from(cur.heat), expected: heatExpected },
    trend,
    dayWeights,
  };
}

/** City-wide level trend extrapolated from the baseline weeks to `week` (see the header). */
function levelTrend(
  rollups: BriefingRollups,
  cap: CapacityModel,
  baseline: number[],
  week: number,
  levelTotals?: (week: number) => number,
): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const w of baseline) {
    const total = levelTotals ? levelTotals(w) : rollups.catVillage.weekTotal(w);
    const c = cap.week(w);
    if (total > 0 && c > 0) {
      xs.push(w);
      ys.push(Math.log(total / c));
    }
  }
  if (xs.length < 4) return 1;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return Math.min(1.1, Math.max(0.9, Math.exp(slope * (week - mx))));
}

function sourceCounts(
  rollups: BriefingRollups,
  scope: ResolvedScope,
  week: number,
): Array<{ source: CaseSource; count: number }> | null {
  if (scope.level === 'village') return null;
  const d = rollups.dims;
  const town = scope.level === 'town' ? d.town(scope.code) : -1;
  const counts = new Float64Array(d.nSources);
  rollups.catSource.forEachInWeek(week, (cell, value) => {
    const t = cell % d.nTowns;
    if (town >= 0 && t !== town) return;
    const src = ((cell - t) / d.nTowns) % d.nSources;
    counts[src] += value;
  });
  return CASE_SOURCES.map((source, i) => ({ source, count: counts[i] }));
}
