// Working-time calendar for Asia/Shanghai (DOMAIN.md "Time limits").
//
// China has used UTC+8 without daylight saving since 1991, so local time is plain fixed-offset
// arithmetic on epoch milliseconds; nothing here reads the host time zone, Date's local getters
// or Intl, so a console or server running in any zone computes the same deadlines.
//
// A day is a working day when it is a Monday–Friday that is not a holiday, or a make-up working
// day (调休). Holidays come from holidays.ts; outside the years that table covers (2025–2027 by
// default) the calendar knows WEEKENDS ONLY — no holidays are assumed — and `describeDay` reports
// `covered: false` so a caller can say so.
//
// Speed: the demo generator and the briefing call this millions of times, so each day's kind is
// precomputed into a typed array and a prefix sum of working days turns every between/add query
// into O(1) arithmetic (plus an O(log n) search for add), with no per-call allocation.

import { HOLIDAY_PERIODS, type HolidayPeriod } from './holidays';

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export type CalendarErrorCode =
  'BAD_DATE' | 'BAD_TIME' | 'EMPTY_HOURS' | 'BAD_INTERVAL' | 'OVERLAPPING_INTERVALS' | 'BAD_HOLIDAY';

export type CalendarResult<T> =
  { ok: true; value: T } | { ok: false; code: CalendarErrorCode; reason: string };

function fail(
  code: CalendarErrorCode,
  reason: string,
): { ok: false; code: CalendarErrorCode; reason: string } {
  return { ok: false, code, reason };
}

// ---------------------------------------------------------------------------------------------
// Civil date arithmetic (proleptic Gregorian, days since 1970-01-01), after H. Hinnant's
// days_from_civil / civil_from_days: exact for any year and cheaper than constructing Dates.

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Shanghai calendar day number (days since 1970-01-01 in local time) of an instant. */
export function shanghaiDayIndex(epochMs: number): number {
  return Math.floor((epochMs + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Epoch ms of local midnight starting the given Shanghai day number. */
export function dayIndexToMs(dayIndex: number): number {
  return dayIndex * DAY_MS - SHANGHAI_OFFSET_MS;
}

export function startOfDayShanghai(epochMs: number): number {
  return dayIndexToMs(shanghaiDayIndex(epochMs));
}

/** 0 = Sunday … 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
export function dayOfWeek(dayIndex: number): number {
  return (((dayIndex + 4) % 7) + 7) % 7;
}

/** Epoch ms of a Shanghai wall-clock time. Month 1–12; no range checks (use parseShanghai for input). */
export function shanghaiMs(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return dayIndexToMs(daysFromCivil(year, month, day)) + hour * HOUR_MS + minute * MINUTE_MS;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatYear(year: number): string {
  return year >= 0 && year < 10_000 ? String(year).padStart(4, '0') : String(year);
}

/** 'YYYY-MM-DD' of the Shanghai calendar day containing the instant. */
export function formatShanghaiDate(epochMs: number): string {
  const { year, month, day } = civilFromDays(shanghaiDayIndex(epochMs));
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/** 'YYYY-MM-DD HH:mm' in Shanghai time; seconds are truncated, not rounded. */
export function formatShanghai(epochMs: number): string {
  const minutes = Math.floor((epochMs - startOfDayShanghai(epochMs)) / MINUTE_MS);
  return `${formatShanghaiDate(epochMs)} ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$/;

/** Parses 'YYYY-MM-DD' (local midnight) or 'YYYY-MM-DD HH:mm' as Shanghai time. */
export function parseShanghai(text: string): CalendarResult<number> {
  const m = DATE_TIME_RE.exec(text);
  if (m === null) {
    return fail('BAD_DATE', `${JSON.stringify(text)} is not 'YYYY-MM-DD' or 'YYYY-MM-DD HH:mm'`);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail('BAD_DATE', `${JSON.stringify(text)} is not a calendar date`);
  }
  if (hour > 23 || minute > 59)
    return fail('BAD_DATE', `${JSON.stringify(text)} has an impossible time of day`);
  return { ok: true, value: shanghaiMs(year, month, day, hour, minute) };
}

// ---------------------------------------------------------------------------------------------
// Weekday counting without a table: the working days of a weekends-only calendar in [0, n).

/** WEEKDAYS_BEFORE[r] = Mon–Fri among the first r days of a week that starts on a Thursday. */
const WEEKDAYS_BEFORE = [0, 1, 2, 2, 2, 3, 4] as const;

function weekdaysBefore(dayIndex: number): number {
  const weeks = Math.floor(dayIndex / 7);
  return weeks * 5 + WEEKDAYS_BEFORE[dayIndex - weeks * 7];
}

function isWeekend(dayIndex: number): boolean {
  const dow = dayOfWeek(dayIndex);
  return dow === 0 || dow === 6;
}

// ---------------------------------------------------------------------------------------------

export interface WorkingInterval {
  /** 'HH:mm' local time, inclusive. */
  start: string;
  /** 'HH:mm' local time, exclusive; '24:00' allowed. */
  end: string;
}

export interface CalendarConfig {
  /** Working hours of a working day, sorted and non-overlapping. Default 08:30–12:00, 14:00–18:00. */
  workingHours?: readonly WorkingInterval[];
  /** Holiday table. Default HOLIDAY_PERIODS; the covered range is the span of its years. */
  holidays?: readonly HolidayPeriod[];
}

export const DEFAULT_WORKING_HOURS: readonly WorkingInterval[] = [
  { start: '08:30', end: '12:00' },
  { start: '14:00', end: '18:00' },
];

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

const KIND_WORKDAY = 0;
const KIND_WEEKEND = 1;
const KIND_HOLIDAY = 2;
const KIND_MAKEUP = 3;
const KIND_NAMES: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup_workday'];

export interface DayInfo {
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  kind: DayKind;
  working: boolean;
  /** The break a holiday or make-up day belongs to. */
  period: { nameZh: string; nameEn: string; provisional: boolean } | null;
  /** False outside the holiday table's years, where only weekends are known. */
  covered: boolean;
}

const HHMM_RE = /^(\d{2}):(\d{2})$/;

function parseHhmm(text: string, allow24: boolean): number | null {
  const m = HHMM_RE.exec(text);
  if (m === null) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (allow24 && h === 24 && min === 0) return DAY_MS;
  if (h > 23 || min > 59) return null;
  return h * HOUR_MS + min * MINUTE_MS;
}

function parseIsoDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

export class WorkingCalendar {
  /** Working ms in one working day (7.5 h with the default hours). */
  readonly workingMsPerDay: number;
  /** First and last covered Shanghai day numbers (inclusive), or null when no table. */
  readonly coveredDays: { first: number; last: number } | null;

  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly tableStart: number;
  private readonly kinds: Uint8Array;
  private readonly periodIndex: Int16Array;
  /** deltaPrefix[k] = working days minus weekdays over table days [0, k). */
  private readonly deltaPrefix: Int32Array;
  private readonly periods: readonly HolidayPeriod[];

  private constructor(
    starts: Float64Array,
    ends: Float64Array,
    tableStart: number,
    kinds: Uint8Array,
    periodIndex: Int16Array,
    periods: readonly HolidayPeriod[],
  ) {
    this.starts = starts;
    this.ends = ends;
    let perDay = 0;
    for (let i = 0; i < starts.length; i++) perDay += ends[i] - starts[i];
    this.workingMsPerDay = perDay;
    this.tableStart = tableStart;
    this.kinds = kinds;
    this.periodIndex = periodIndex;
    this.periods = periods;
    this.coveredDays = kinds.length > 0 ? { first: tableStart, last: tableStart + kinds.length - 1 } : null;
    const prefix = new Int32Array(kinds.length + 1);
    for (let k = 0; k < kinds.length; k++) {
      const working = kinds[k] === KIND_WORKDAY || kinds[k] === KIND_MAKEUP ? 1 : 0;
      const weekday = isWeekend(tableStart + k) ? 0 : 1;
      prefix[k + 1] = prefix[k] + working - weekday;
    }
    this.deltaPrefix = prefix;
  }

  /** Builds a calendar, validating the configuration. */
  static create(config: CalendarConfig = {}): CalendarResult<WorkingCalendar> {
    const hours = config.workingHours ?? DEFAULT_WORKING_HOURS;
    if (hours.length === 0) return fail('EMPTY_HOURS', 'working hours must contain at least one interval');
    const starts = new Float64Array(hours.length);
    const ends = new Float64Array(hours.length);
    for (let i = 0; i < hours.length; i++) {
      const { start, end } = hours[i];
      const s = parseHhmm(start, false);
      const e = parseHhmm(end, true);
      if (s === null)
        return fail('BAD_TIME', `working-hours start ${JSON.stringify(start)} is not 'HH:mm' (00:00–23:59)`);
      if (e === null)
        return fail('BAD_TIME', `working-hours end ${JSON.stringify(end)} is not 'HH:mm' (00:00–24:00)`);
      if (e <= s) return fail('BAD_INTERVAL', `working-hours interval ${start}–${end} ends before it starts`);
      if (i > 0 && s < ends[i - 1]) {
        return fail(
          'OVERLAPPING_INTERVALS',
          `working-hours interval ${start}–${end} starts before the previous one ends (${hours[i - 1].end}); list them sorted and disjoint`,
        );
      }
      starts[i] = s;
      ends[i] = e;
    }

    const periods = config.holidays ?? HOLIDAY_PERIODS;
    if (periods.length === 0) {
      return {
        ok: true,
        value: new WorkingCalendar(starts, ends, 0, new Uint8Array(0), new Int16Array(0), periods),
      };
    }
    // Cover whole years so "outside the table" is a clean year boundary.
    let firstYear = Number.POSITIVE_INFINITY;
    let lastYear = Number.NEGATIVE_INFINITY;
    const parsed: Array<{ from: number; to: number; makeUp: number[] }> = [];
    for (const p of periods) {
      const from = parseIsoDay(p.from);
      const to = parseIsoDay(p.to);
      if (from === null || to === null) {
        return fail('BAD_HOLIDAY', `holiday ${p.nameEn} ${p.year} has a bad date (${p.from} – ${p.to})`);
      }
      if (to < from)
        return fail(
          'BAD_HOLIDAY',
          `holiday ${p.nameEn} ${p.year} ends (${p.to}) before it starts (${p.from})`,
        );
      const makeUp: number[] = [];
      for (const d of p.makeUpWorkdays) {
        const day = parseIsoDay(d);
        if (day === null)
          return fail(
            'BAD_HOLIDAY',
            `make-up day ${JSON.stringify(d)} of ${p.nameEn} ${p.year} is not a date`,
          );
        if (!isWeekend(day)) {
          return fail('BAD_HOLIDAY', `make-up day ${d} of ${p.nameEn} ${p.year} is not a Saturday or Sunday`);
        }
        makeUp.push(day);
      }
      parsed.push({ from, to, makeUp });
      for (const day of [from, to, ...makeUp]) {
        const { year } = civilFromDays(day);
        firstYear = Math.min(firstYear, year);
        lastYear = Math.max(lastYear, year);
      }
    }
    const tableStart = daysFromCivil(firstYear, 1, 1);
    const length = daysFromCivil(lastYear + 1, 1, 1) - tableStart;
    const kinds = new Uint8Array(length);
    const periodIndex = new Int16Array(length).fill(-1);
    for (let k = 0; k < length; k++) kinds[k] = isWeekend(tableStart + k) ? KIND_WEEKEND : KIND_WORKDAY;
    for (let i = 0; i < parsed.length; i++) {
      const { from, to } = parsed[i];
      for (let day = from; day <= to; day++) {
        kinds[day - tableStart] = KIND_HOLIDAY;
        periodIndex[day - tableStart] = i;
      }
    }
    for (let i = 0; i < parsed.length; i++) {
      for (const day of parsed[i].makeUp) {
        if (kinds[day - tableStart] === KIND_HOLIDAY) {
          return fail(
            'BAD_HOLIDAY',
            `make-up day ${formatShanghaiDate(dayIndexToMs(day))} of ${periods[i].nameEn} ${periods[i].year} is itself a holiday`,
          );
        }
        kinds[day - tableStart] = KIND_MAKEUP;
        periodIndex[day - tableStart] = i;
      }
    }
    return { ok: true, value: new WorkingCalendar(starts, ends, tableStart, kinds, periodIndex, periods) };
  }

  // --- days -----------------------------------------------------------------------------------

  private kindOfDay(dayIndex: number): number {
    const k = dayIndex - this.tableStart;
    if (k >= 0 && k < this.kinds.length) return this.kinds[k];
    return isWeekend(dayIndex) ? KIND_WEEKEND : KIND_WORKDAY;
  }

  /** Working day given a Shanghai day number (see shanghaiDayIndex). */
  isWorkingDayIndex(dayIndex: number): boolean {
    const kind = this.kindOfDay(dayIndex);
    return kind === KIND_WORKDAY || kind === KIND_MAKEUP;
  }

  isWorkingDay(epochMs: number): boolean {
    return this.isWorkingDayIndex(shanghaiDayIndex(epochMs));
  }

  describeDay(epochMs: number): DayInfo {
    const dayIndex = shanghaiDayIndex(epochMs);
    const kind = this.kindOfDay(dayIndex);
    const k = dayIndex - this.tableStart;
    const covered = k >= 0 && k < this.kinds.length;
    const pi = covered ? this.periodIndex[k] : -1;
    const p = pi >= 0 ? this.periods[pi] : null;
    return {
      date: formatShanghaiDate(epochMs),
      dayOfWeek: dayOfWeek(dayIndex),
      kind: KIND_NAMES[kind],
      working: kind === KIND_WORKDAY || kind === KIND_MAKEUP,
      period: p === null ? null : { nameZh: p.nameZh, nameEn: p.nameEn, provisional: p.provisional },
      covered,
    };
  }

  /** Working days in the Shanghai day range [0, dayIndex), offset-free so differences are exact. */
  private workingDaysBefore(dayIndex: number): number {
    const k = dayIndex - this.tableStart;
    const clamped = k <= 0 ? 0 : k >= this.kinds.length ? this.kinds.length : k;
    return weekdaysBefore(dayIndex) + this.deltaPrefix[clamped];
  }

  /**
   * What a deadline computed over [fromMs, toMs] rests on that is not yet official: the first
   * holiday break in the span whose dates are derived from the rules rather than a published
   * notice (`provisional`), and whether the span runs past the holiday table (only weekends known
   * there). Both null/false for a span the published notices cover.
   */
  assumptionsIn(
    fromMs: number,
    toMs: number,
  ): { provisional: { nameZh: string; nameEn: string; year: number } | null; uncovered: boolean } {
    const a = shanghaiDayIndex(Math.min(fromMs, toMs));
    const b = shanghaiDayIndex(Math.max(fromMs, toMs));
    let provisional: { nameZh: string; nameEn: string; year: number } | null = null;
    for (let d = Math.max(a, this.tableStart); d <= b && d < this.tableStart + this.kinds.length; d++) {
      const pi = this.periodIndex[d - this.tableStart];
      if (pi >= 0 && this.periods[pi].provisional) {
        const p = this.periods[pi];
        provisional = { nameZh: p.nameZh, nameEn: p.nameEn, year: p.year };
        break;
      }
    }
    const uncovered = a < this.tableStart || b >= this.tableStart + this.kinds.length;
    return { provisional, uncovered };
  }

  /** Number of working days among the calendar days of [fromMs's day, toMs's day). */
  workingDaysBetween(fromMs: number, toMs: number): number {
    return this.workingDaysBefore(shanghaiDayIndex(toMs)) - this.workingDaysBefore(shanghaiDayIndex(fromMs));
  }

  // --- time within a day ----------------------------------------------------------------------

  /** Working ms in [00:00, msOfDay) of a working day. */
  private workedBefore(msOfDay: number): number {
    let acc = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const s = this.starts[i];
      if (msOfDay <= s) break;
      const e = this.ends[i];
      acc += (msOfDay < e ? msOfDay : e) - s;
    }
    return acc;
  }

  /** Earliest ms-of-day at which `worked` (0 < worked ≤ workingMsPerDay) working ms have elapsed. */
  private instantAfterWorked(worked: number): number {
    let left = worked;
    for (let i = 0; i < this.starts.length; i++) {
      const len = this.ends[i] - this.starts[i];
      if (left <= len) return this.starts[i] + left;
      left -= len;
    }
    return this.ends[this.ends.length - 1];
  }

  isWorkingTime(epochMs: number): boolean {
    const dayIndex = shanghaiDayIndex(epochMs);
    if (!this.isWorkingDayIndex(dayIndex)) return false;
    const msOfDay = epochMs - dayIndexToMs(dayIndex);
    for (let i = 0; i < this.starts.length; i++) {
      if (msOfDay >= this.starts[i] && msOfDay < this.ends[i]) return true;
    }
    return false;
  }

  /** Working ms from a fixed origin to the instant; differences of it are working durations. */
  private workingClock(epochMs: number): number {
    const dayIndex = shanghaiDayIndex(epochMs);
    const full = this.workingDaysBefore(dayIndex) * this.workingMsPerDay;
    if (!this.isWorkingDayIndex(dayIndex)) return full;
    return full + this.workedBefore(epochMs - dayIndexToMs(dayIndex));
  }

  /**
   * Working ms between two instants; negative when b is before a, so
   * workingMsBetween(a, b) === -workingMsBetween(b, a).
   */
  workingMsBetween(aMs: number, bMs: number): number {
    return this.workingClock(bMs) - this.workingClock(aMs);
  }

  /**
   * The earliest instant at which `amountMs` of working time has elapsed since `startMs`. When the
   * amount runs out exactly at the end of a working interval the result is that end (12:00, 18:00),
   * not the start of the next one. amountMs = 0 returns startMs unchanged.
   * Throws RangeError for a negative or non-finite amount: that is a caller bug, not user input.
   */
  addWorkingTime(startMs: number, amountMs: number): number {
    if (!Number.isFinite(amountMs) || amountMs < 0 || !Number.isFinite(startMs)) {
      throw new RangeError(
        `addWorkingTime(${startMs}, ${amountMs}): need a finite start and a finite amount ≥ 0`,
      );
    }
    if (amountMs === 0) return startMs;
    const perDay = this.workingMsPerDay;
    const day0 = shanghaiDayIndex(startMs);
    let rest = amountMs;
    if (this.isWorkingDayIndex(day0)) {
      const done = this.workedBefore(startMs - dayIndexToMs(day0));
      const left = perDay - done;
      if (rest <= left) return dayIndexToMs(day0) + this.instantAfterWorked(done + rest);
      rest -= left;
    }
    // The time runs out on the q-th working day after day0, with `last` ms of it used there.
    const q = Math.ceil(rest / perDay);
    const last = rest - (q - 1) * perDay;
    const day = this.nthWorkingDayAfter(day0, q);
    return dayIndexToMs(day) + this.instantAfterWorked(last);
  }

  /** Smallest day d > day0 with q working days in (day0, d]. */
  private nthWorkingDayAfter(day0: number, q: number): number {
    const base = this.workingDaysBefore(day0 + 1);
    let lo = day0 + 1;
    let span = Math.ceil((q * 7) / 5) + 16;
    let hi = lo + span;
    // Gallop: holiday blocks can make the first guess too short.
    while (this.workingDaysBefore(hi + 1) - base < q) {
      lo = hi + 1;
      span *= 2;
      hi = lo + span;
    }
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.workingDaysBefore(mid + 1) - base >= q) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * n working days after startMs, where one working day = workingMsPerDay of working time
   * (n may be fractional). Consequences, by design:
   * - start inside working hours → the same working-time position n working days later, which is
   *   the same clock time (Mon 10:00 + 2 → Wed 10:00; a start in the lunch break maps to 12:00);
   * - start after hours, on a non-working day or before the first interval → the END of the n-th
   *   working day that follows (Sat 10:00 + 1 → Mon 18:00; Mon 07:00 + 1 → Mon 18:00).
   * Deadlines in working days (deadline.ts) use the same rule, so both agree.
   */
  addWorkingDays(startMs: number, n: number): number {
    if (!Number.isFinite(n) || n < 0)
      throw new RangeError(`addWorkingDays: n must be a finite number ≥ 0, got ${n}`);
    return this.addWorkingTime(startMs, n * this.workingMsPerDay);
  }
}

let defaultInstance: WorkingCalendar | null = null;

/** The shared calendar with the default hours and the built-in holiday table (built once). */
export function defaultCalendar(): WorkingCalendar {
  if (defaultInstance === null) {
    const created = WorkingCalendar.create();
    // The built-in table is validated by its own unit test; failing here means the data was edited badly.
    if (!created.ok) throw new Error(`built-in calendar is invalid: ${created.reason}`);
    defaultInstance = created.value;
  }
  return defaultInstance;
}
