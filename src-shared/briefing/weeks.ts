// ISO weeks in Asia/Shanghai (Monday start), as integers.
//
// The briefing keys every rollup by a week number rather than a label so that "the 8 weeks
// before" is subtraction and a week is an array slot. Week numbers count from the Monday on or
// before 1970-01-01 (Shanghai day −3, a Monday): week k covers Shanghai days [7k − 3, 7k + 4).
// The ISO label (year of the week's Thursday, week 1 = the week holding 4 January) is derived
// only for display and parsing. Day arithmetic comes from calendar.ts so the briefing and the
// deadlines agree on what a Shanghai day is.

import {
  civilFromDays,
  DAY_MS,
  dayIndexToMs,
  dayOfWeek,
  daysFromCivil,
  HOUR_MS,
  shanghaiDayIndex,
} from '../domain/calendar';

export const WEEK_MS = 7 * DAY_MS;
export const DAYS_PER_WEEK = 7;
export const HOURS_PER_WEEK = 168;
/** Monday-first short names, index = ISO weekday − 1. */
export const WEEKDAY_NAMES_ZH = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;
export const WEEKDAY_NAMES_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Week number of a Shanghai day number. */
export function weekOfDay(dayIndex: number): number {
  return Math.floor((dayIndex + 3) / 7);
}

/** Week number of an instant. */
export function weekOfMs(epochMs: number): number {
  return weekOfDay(shanghaiDayIndex(epochMs));
}

/** Shanghai day number of the week's Monday. */
export function weekFirstDay(week: number): number {
  return week * 7 - 3;
}

/** Epoch ms of the week's Monday 00:00 Shanghai time. */
export function weekStartMs(week: number): number {
  return dayIndexToMs(weekFirstDay(week));
}

/** Epoch ms of the next Monday 00:00 (exclusive end). */
export function weekEndMs(week: number): number {
  return weekStartMs(week + 1);
}

/** 0 = Monday … 6 = Sunday, for a Shanghai day number. */
export function isoWeekdayIndex(dayIndex: number): number {
  return (dayOfWeek(dayIndex) + 6) % 7;
}

/**
 * Slot 0–167 of the hour × weekday heat grid (Monday 00:00–01:00 = 0, Sunday 23:00–24:00 = 167)
 * for an instant; the hour is Shanghai local time.
 */
export function hourOfWeekSlot(epochMs: number): number {
  const day = shanghaiDayIndex(epochMs);
  const hour = Math.floor((epochMs - dayIndexToMs(day)) / HOUR_MS);
  return isoWeekdayIndex(day) * 24 + hour;
}

export interface IsoWeek {
  /** ISO week-numbering year (the year of the week's Thursday). */
  year: number;
  /** 1–53. */
  week: number;
}

export function isoWeekOf(week: number): IsoWeek {
  const thursday = weekFirstDay(week) + 3;
  const { year } = civilFromDays(thursday);
  const jan1 = daysFromCivil(year, 1, 1);
  return { year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** Week number of ISO week `w` of ISO year `year` (no range check on w). */
export function weekOfIso(year: number, w: number): number {
  // 4 January is always in ISO week 1.
  return weekOfDay(daysFromCivil(year, 1, 4)) + (w - 1);
}

/** Number of ISO weeks (52 or 53) in an ISO year. */
export function isoWeeksInYear(year: number): number {
  return weekOfIso(year + 1, 1) - weekOfIso(year, 1);
}

/** '2025-W52'. */
export function isoWeekLabel(week: number): string {
  const { year, week: w } = isoWeekOf(week);
  return `${year}-W${w < 10 ? '0' : ''}${w}`;
}

/** Parses '2025-W52' (or '2025W52'); null when malformed or the week does not exist that year. */
export function parseIsoWeek(text: string): number | null {
  const m = /^(\d{4})-?W(\d{2})$/.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const w = Number(m[2]);
  if (w < 1 || w > isoWeeksInYear(year)) return null;
  return weekOfIso(year, w);
}

/**
 * The same ISO week one year earlier: week w of the previous ISO year, or its week 52 when this
 * is a week 53 the previous year did not have.
 */
export function sameWeekLastYear(week: number): number {
  const { year, week: w } = isoWeekOf(week);
  return weekOfIso(year - 1, Math.min(w, isoWeeksInYear(year - 1)));
}
