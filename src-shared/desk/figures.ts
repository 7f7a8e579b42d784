// The seat's figures (DOMAIN.md evaluation, evaluation.ts formulas) for today and this week,
// Asia/Shanghai days, weeks starting on Monday.
import type { AccurateDispatch } from '../domain/work-rules';
import { DAY_MS, dayOfWeek, shanghaiDayIndex, startOfDayShanghai } from '../domain/calendar';
import {
  countsForPeriod,
  rates,
  type EvaluationCase,
  type EvaluationCounts,
  type Rates,
} from '../domain/evaluation';

export interface PeriodFigures {
  fromMs: number;
  toMs: number;
  counts: EvaluationCounts;
  rates: Rates;
}

export interface DeskFigures {
  at: number;
  today: PeriodFigures;
  week: PeriodFigures;
  /** How many case records the figures were computed over (the seat's cache). */
  cases: number;
  /** 准确派遣率 of the cases first dispatched today / this week (work-rules.ts accurateDispatchRate). */
  accurateDispatch?: { today: AccurateDispatch; week: AccurateDispatch };
}

export function weekStartShanghai(now: number): number {
  const day = startOfDayShanghai(now);
  const sinceMonday = (dayOfWeek(shanghaiDayIndex(now)) + 6) % 7;
  return day - sinceMonday * DAY_MS;
}

export function deskFigures(cases: readonly EvaluationCase[], now: number): DeskFigures {
  const period = (fromMs: number, toMs: number): PeriodFigures => {
    const counts = countsForPeriod(cases, fromMs, toMs, now);
    return { fromMs, toMs, counts, rates: rates(counts) };
  };
  const day = startOfDayShanghai(now);
  const week = weekStartShanghai(now);
  return {
    at: now,
    today: period(day, day + DAY_MS),
    week: period(week, week + 7 * DAY_MS),
    cases: cases.length,
  };
}
