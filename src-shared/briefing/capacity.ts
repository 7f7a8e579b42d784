// "Capacity": how many cases a week (or a day, or an hour slot) is expected to bring relative to
// an ordinary working day, so a baseline from 8 earlier weeks can be scaled to this week's mix of
// working days, weekends, public holidays and make-up working days (调休), and to weeks the history
// covers only in part (its first and last week, or a live week still running).
//
// The weights are estimated from the rollups themselves (city-wide daily totals from the heat
// cube): each day's count over the mean of the ordinary working days within ±10 days, the median
// per kind of day — working days by weekday, Saturday, Sunday, holiday, make-up day — rescaled so
// Monday–Friday average 1. The day kinds come from the project calendar (calendar.ts).

import type { WorkingCalendar } from '../domain/calendar';
import { DAY_MS, dayIndexToMs, defaultCalendar, HOUR_MS } from '../domain/calendar';
import type { BriefingRollups } from './rollups';
import { HOURS_PER_WEEK, isoWeekdayIndex, weekFirstDay } from './weeks';

export interface DayWeights {
  /** Ordinary working days, Monday … Friday. */
  workday: [number, number, number, number, number];
  /** Ordinary weekend days: Saturday, Sunday. */
  weekend: [number, number];
  holiday: number;
  makeUpWorkday: number;
  /** Share of a day's cases in each local hour (sums to 1), for days the history covers in part. */
  hourShare: number[];
  /** Days each weight was estimated from (0 = the prior was used). */
  samples: { workday: number[]; weekend: number[]; holiday: number; makeUpWorkday: number };
}

/**
 * Priors used only where the history has fewer than 3 days of a kind: typical figures for
 * grid-management report volumes (weekends ≈ 2/3 of a working day, holidays about half).
 */
export const PRIOR_DAY_WEIGHTS: Readonly<Omit<DayWeights, 'samples'>> = {
  workday: [1, 1, 1, 1, 1],
  weekend: [0.7, 0.65],
  holiday: 0.55,
  makeUpWorkday: 0.95,
  hourShare: new Array<number>(24).fill(1 / 24),
};

const MIN_SAMPLES = 3;
const WINDOW_DAYS = 10;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

type KindKey = 'wd0' | 'wd1' | 'wd2' | 'wd3' | 'wd4' | 'we5' | 'we6' | 'holiday' | 'makeup';

function kindKey(dayIndex: number, calendar: WorkingCalendar): KindKey {
  const info = calendar.describeDay(dayIndexToMs(dayIndex));
  const wd = isoWeekdayIndex(dayIndex);
  switch (info.kind) {
    case 'holiday':
      return 'holiday';
    case 'makeup_workday':
      return 'makeup';
    case 'weekend':
      return wd === 5 ? 'we5' : 'we6';
    default:
      return `wd${wd}` as KindKey;
  }
}

const estimates = new WeakMap<
  BriefingRollups,
  { revision: number; calendar: WorkingCalendar; weights: DayWeights }
>();

/**
 * Estimates the day weights from the rollups' city-wide daily and hourly totals; remembered per
 * rollups until they change (a briefing per scope re-asks for the same figures).
 */
export function estimateDayWeights(
  rollups: BriefingRollups,
  calendar: WorkingCalendar = defaultCalendar(),
): DayWeights {
  const known = estimates.get(rollups);
  if (known !== undefined && known.revision === rollups.revision && known.calendar === calendar)
    return known.weights;
  const weights = computeDayWeights(rollups, calendar);
  estimates.set(rollups, { revision: rollups.revision, calendar, weights });
  return weights;
}

function computeDayWeights(rollups: BriefingRollups, calendar: WorkingCalendar): DayWeights {
  const range = rollups.heat.weekRange();
  const hourly = new Float64Array(24);
  const daily = new Map<number, number>();
  if (range !== null) {
    for (let w = range.first; w <= range.last; w++) {
      const bySlot = new Float64Array(HOURS_PER_WEEK);
      const dense = rollups.heat.denseWeek(w);
      if (dense !== null) {
        for (let k = 0; k < dense.length; k += HOURS_PER_WEEK) {
          for (let h = 0; h < HOURS_PER_WEEK; h++) bySlot[h] += dense[k + h];
        }
      } else {
        rollups.heat.forEachInWeek(w, (cell, value) => (bySlot[cell % HOURS_PER_WEEK] += value));
      }
      const byDay = new Float64Array(7);
      for (let slot = 0; slot < HOURS_PER_WEEK; slot++) {
        byDay[(slot / 24) | 0] += bySlot[slot];
        hourly[slot % 24] += bySlot[slot];
      }
      for (let d = 0; d < 7; d++) {
        const day = weekFirstDay(w) + d;
        const start = dayIndexToMs(day);
        if (start >= rollups.coverageStartMs && start + DAY_MS <= rollups.asOfMs) daily.set(day, byDay[d]);
      }
    }
  }
  const kinds = new Map<number, KindKey>();
  for (const day of daily.keys()) kinds.set(day, kindKey(day, calendar));
  const ratios = new Map<KindKey, number[]>();
  for (const [day, count] of daily) {
    let sum = 0;
    let n = 0;
    for (let k = day - WINDOW_DAYS; k <= day + WINDOW_DAYS; k++) {
      const kk = kinds.get(k);
      if (k === day || kk === undefined || !kk.startsWith('wd')) continue;
      sum += daily.get(k)!;
      n++;
    }
    if (n < 3 || sum <= 0) continue;
    const key = kinds.get(day)!;
    const list = ratios.get(key) ?? [];
    list.push(count / (sum / n));
    ratios.set(key, list);
  }
  const pick = (key: KindKey, prior: number): [number, number] => {
    const list = ratios.get(key) ?? [];
    return list.length >= MIN_SAMPLES ? [median(list), list.length] : [prior, 0];
  };
  const wd = [0, 1, 2, 3, 4].map((d) => pick(`wd${d}` as KindKey, PRIOR_DAY_WEIGHTS.workday[d]));
  const we = [pick('we5', PRIOR_DAY_WEIGHTS.weekend[0]), pick('we6', PRIOR_DAY_WEIGHTS.weekend[1])];
  const hol = pick('holiday', PRIOR_DAY_WEIGHTS.holiday);
  const mk = pick('makeup', PRIOR_DAY_WEIGHTS.makeUpWorkday);
  const scale = wd.reduce((s, [v]) => s + v, 0) / 5;
  let hourTotal = 0;
  for (const v of hourly) hourTotal += v;
  return {
    workday: wd.map(([v]) => v / scale) as DayWeights['workday'],
    weekend: we.map(([v]) => v / scale) as DayWeights['weekend'],
    holiday: hol[0] / scale,
    makeUpWorkday: mk[0] / scale,
    hourShare: hourTotal > 0 ? Array.from(hourly, (v) => v / hourTotal) : [...PRIOR_DAY_WEIGHTS.hourShare],
    samples: {
      workday: wd.map(([, n]) => n),
      weekend: we.map(([, n]) => n),
      holiday: hol[1],
      makeUpWorkday: mk[1],
    },
  };
}

/**
 * Expected volume of each hour slot (168, Monday 00 h first) of a week, relative to an ordinary
 * working day = 1 per day: the day's weight × the hour's share, 0 where the history does not
 * cover the hour.
 */
export class CapacityModel {
  private readonly cache = new Map<number, Float64Array>();

  constructor(
    readonly weights: DayWeights,
    private readonly coverageStartMs: number,
    private readonly asOfMs: number,
    private readonly calendar: WorkingCalendar = defaultCalendar(),
  ) {}

  dayWeight(dayIndex: number): number {
    const w = this.weights;
    switch (kindKey(dayIndex, this.calendar)) {
      case 'holiday':
        return w.holiday;
      case 'makeup':
        return w.makeUpWorkday;
      case 'we5':
        return w.weekend[0];
      case 'we6':
        return w.weekend[1];
      default:
        return w.workday[isoWeekdayIndex(dayIndex)];
    }
  }

  /** Capacity of each of the week's 168 hour slots. */
  hourSlots(week: number): Float64Array {
    let out = this.cache.get(week);
    if (out !== undefined) return out;
    out = new Float64Array(HOURS_PER_WEEK);
    for (let d = 0; d < 7; d++) {
      const day = weekFirstDay(week) + d;
      const dw = this.dayWeight(day);
      const start = dayIndexToMs(day);
      for (let h = 0; h < 24; h++) {
        const a = start + h * HOUR_MS;
        const covered =
          Math.max(0, Math.min(a + HOUR_MS, this.asOfMs) - Math.max(a, this.coverageStartMs)) / HOUR_MS;
        out[d * 24 + h] = dw * this.weights.hourShare[h] * covered;
      }
    }
    this.cache.set(week, out);
    return out;
  }

  /** Capacity of the whole week (≈ 6.35 for an ordinary full week: 5 working days + Sat + Sun). */
  week(week: number): number {
    let s = 0;
    for (const v of this.hourSlots(week)) s += v;
    return s;
  }
}
