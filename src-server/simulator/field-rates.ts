// How often the field produces cases: Dongguan's daily volume shaped by hour of day, weekday and
// holidays, split by source, with the share fixed on the spot (自处置) calibrated to the target.
// The curves are copied from the demo-data generator (scripts/demo-data/history.ts) so the live
// simulation has the same rhythm as the imported history; the server may not import scripts/.
import type { CaseSource, Priority } from '../../src-shared/domain/case-model';
import { DAY_MS, HOUR_MS, SHANGHAI_OFFSET_MS, type WorkingCalendar } from '../../src-shared/domain/calendar';
import type { Rng } from '../../src-shared/domain/geo';

/** Dongguan: ≈ 2.5M cases a year (15.03M since 2016 across the 智网 platform) → ≈ 6,850 a day. */
export const CASES_PER_DAY = 6_850;
/**
 * Share of all new cases fixed on the spot by the officer who found them: the history's
 * (scripts/demo-data/history.ts: ≈ 77 % of patrol findings, ≈ 61 % of all reports), so the
 * live weeks' 自处置率 and dispatched volume — hence the open workload — continue the history's
 * instead of jumping at the first start.
 */
export const SELF_HANDLED_SHARE = 0.61;

/** Relative report volume per local hour (history.ts HOUR_WEIGHTS): low at night, peaks 9–11 and 14–17. */
export const HOUR_WEIGHTS: readonly number[] = [
  0.22, 0.14, 0.09, 0.07, 0.07, 0.12, 0.35, 0.85, 1.6, 2.3, 2.5, 2.0, 1.15, 1.05, 1.9, 2.3, 2.25, 1.75, 1.1,
  0.9, 0.8, 0.65, 0.45, 0.3,
];
/** Sunday … Saturday (history.ts WEEKDAY_FACTORS). */
export const WEEKDAY_FACTORS: readonly number[] = [0.62, 1.0, 1.02, 1.0, 1.0, 0.97, 0.72];
export const HOLIDAY_FACTOR = 0.55;
export const MAKEUP_WORKDAY_FACTOR = 0.95;

const HOUR_MEAN = HOUR_WEIGHTS.reduce((a, b) => a + b, 0) / 24;
const WEEKDAY_MEAN = WEEKDAY_FACTORS.reduce((a, b) => a + b, 0) / 7;

/**
 * Source mix of live cases: the history's (history.ts SOURCE_MIX). While the officers' inspection
 * rounds run, the `inspection` share comes from them (hazards reported as cases) instead.
 */
export const LIVE_SOURCE_MIX: Readonly<Record<CaseSource, number>> = {
  patrol: 0.79,
  citizen: 0.04,
  video: 0.05,
  hotline: 0.04,
  department: 0.03,
  higher_level: 0.01,
  inspection: 0.04,
};

/** Relative chance a patrol finding is fixed on the spot, by priority: emergencies never are. */
export const SELF_HANDLE_BY_PRIORITY: Readonly<Record<Priority, number>> = {
  emergency: 0,
  urgent: 0.55,
  normal: 1,
};
/** Inspection work orders that find a hazard are mostly not fixable on the spot. */
export const SELF_HANDLE_INSPECTION = 0.25;
const MAX_SELF_HANDLE = 0.97;

/** Local (Asia/Shanghai) hour 0–23 of an instant. */
export function localHour(ms: number): number {
  return Math.floor(((((ms + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** Day factor of the instant's local day: weekday rhythm, holidays, make-up working days (调休). */
export function dayFactor(ms: number, calendar: WorkingCalendar): number {
  const day = calendar.describeDay(ms);
  if (day.kind === 'holiday') return HOLIDAY_FACTOR / WEEKDAY_MEAN;
  if (day.kind === 'makeup_workday') return MAKEUP_WORKDAY_FACTOR / WEEKDAY_MEAN;
  return WEEKDAY_FACTORS[day.dayOfWeek] / WEEKDAY_MEAN;
}

/** Expected new cases per simulated millisecond at `ms` for a city producing `perDay` on an average day. */
export function caseRatePerMs(ms: number, calendar: WorkingCalendar, perDay = CASES_PER_DAY): number {
  return (perDay / DAY_MS) * (HOUR_WEIGHTS[localHour(ms)] / HOUR_MEAN) * dayFactor(ms, calendar);
}

/** Poisson draw (Knuth for small means, a rounded normal approximation above 30). */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** A sampler over weighted items (cumulative table + binary search; built once). */
export class WeightedPicker<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length)
      throw new RangeError('WeightedPicker: items and weights differ');
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    for (let i = 0; i < items.length; i++) {
      sum += Math.max(0, weights[i]);
      this.cumulative[i] = sum;
    }
    if (!(sum > 0)) throw new RangeError('WeightedPicker: all weights are zero');
    this.total = sum;
  }

  pick(rng: Rng): T {
    const u = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/**
 * The factor k such that patrol findings self-handled with probability
 * min(MAX, k·SELF_HANDLE_BY_PRIORITY[priority]) make `target` of all cases self-handled, given the
 * category mix. Bisection: the share is monotone in k.
 */
export function calibrateSelfHandle(
  categories: readonly { priority: Priority; weight: number }[],
  target = SELF_HANDLED_SHARE,
  mix: Readonly<Record<CaseSource, number>> = LIVE_SOURCE_MIX,
): number {
  const total = categories.reduce((a, c) => a + c.weight, 0);
  const mixTotal = Object.values(mix).reduce((a, b) => a + b, 0);
  const patrol = mix.patrol / mixTotal;
  const inspection = (mix.inspection / mixTotal) * SELF_HANDLE_INSPECTION;
  const share = (k: number): number =>
    inspection +
    (patrol *
      categories.reduce(
        (a, c) => a + c.weight * Math.min(MAX_SELF_HANDLE, k * SELF_HANDLE_BY_PRIORITY[c.priority]),
        0,
      )) /
      total;
  let lo = 0;
  let hi = 1 / Math.min(...Object.values(SELF_HANDLE_BY_PRIORITY).filter((v) => v > 0));
  if (share(hi) <= target) return hi; // as high as it goes: the mix cannot reach the target
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (share(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Probability that a patrol finding of this priority is self-handled, after calibration. */
export function selfHandleProbability(priority: Priority, k: number): number {
  return Math.min(MAX_SELF_HANDLE, k * SELF_HANDLE_BY_PRIORITY[priority]);
}
