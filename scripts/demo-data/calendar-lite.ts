// A deliberately small +08:00 calendar for the generator's traffic rhythm and its approximate
// time-limit check. NOT the project's working-time calendar (src-shared/domain/calendar.ts):
// the history must not depend on it. Holidays are the State Council's published days off and
// make-up working days for 2024–2026 as far as known; other years fall back to fixed dates.

export const TZ_OFFSET_MIN = 480; // +08:00
export const MIN_PER_DAY = 1440;

const HOLIDAY_RANGES: Record<number, [string, string][]> = {
  2024: [
    ['01-01', '01-01'],
    ['02-10', '02-17'],
    ['04-04', '04-06'],
    ['05-01', '05-05'],
    ['06-10', '06-10'],
    ['09-15', '09-17'],
    ['10-01', '10-07'],
  ],
  2025: [
    ['01-01', '01-01'],
    ['01-28', '02-04'],
    ['04-04', '04-06'],
    ['05-01', '05-05'],
    ['05-31', '06-02'],
    ['10-01', '10-08'],
  ],
  2026: [
    ['01-01', '01-03'],
    ['02-15', '02-23'],
    ['04-04', '04-06'],
    ['05-01', '05-05'],
    ['06-19', '06-21'],
    ['09-25', '09-27'],
    ['10-01', '10-07'],
  ],
};
const MAKEUP_DAYS: Record<number, string[]> = {
  2024: ['02-04', '02-18', '04-07', '04-28', '05-11', '09-14', '09-29', '10-12'],
  2025: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  2026: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
};
const FALLBACK_HOLIDAYS: [string, string][] = [
  ['01-01', '01-01'],
  ['05-01', '05-03'],
  ['10-01', '10-07'],
];

/** 'YYYY-MM-DD' → days since 1970-01-01 (local date). */
export function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad date ${s} (expected YYYY-MM-DD)`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = t / 86_400_000;
  if (formatDay(d) !== s) throw new Error(`bad date ${s}`);
  return d;
}

export function formatDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** UTC minute at which the local day starts. */
export function dayStartMinute(day: number): number {
  return day * MIN_PER_DAY - TZ_OFFSET_MIN;
}

export function localDayOf(utcMinute: number): number {
  return Math.floor((utcMinute + TZ_OFFSET_MIN) / MIN_PER_DAY);
}

/** ISO 8601 with +08:00 for a UTC minute. */
export function isoLocal(utcMinute: number): string {
  const local = new Date((utcMinute + TZ_OFFSET_MIN) * 60_000).toISOString().slice(0, 16);
  return `${local}:00+08:00`;
}

const cache = new Map<number, { holidays: Set<number>; makeup: Set<number> }>();
function yearInfo(year: number) {
  let info = cache.get(year);
  if (!info) {
    const holidays = new Set<number>();
    for (const [a, b] of HOLIDAY_RANGES[year] ?? FALLBACK_HOLIDAYS) {
      for (let d = parseDay(`${year}-${a}`); d <= parseDay(`${year}-${b}`); d++) holidays.add(d);
    }
    const makeup = new Set<number>((MAKEUP_DAYS[year] ?? []).map((s) => parseDay(`${year}-${s}`)));
    info = { holidays, makeup };
    cache.set(year, info);
  }
  return info;
}

export function isHoliday(day: number): boolean {
  return yearInfo(new Date(day * 86_400_000).getUTCFullYear()).holidays.has(day);
}

export function isWorkday(day: number): boolean {
  const info = yearInfo(new Date(day * 86_400_000).getUTCFullYear());
  if (info.makeup.has(day)) return true;
  if (info.holidays.has(day)) return false;
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/** Working periods, local minutes of the day: 08:30–12:00 and 14:00–17:30 (7 h). */
export const WORK_PERIODS: readonly [number, number][] = [
  [510, 720],
  [840, 1050],
];
export const WORK_MINUTES_PER_DAY = 420;

/** Workday flags cached over a day range for the hot loop. */
export class WorkdayTable {
  private readonly from: number;
  private readonly flags: Uint8Array;
  constructor(fromDay: number, toDay: number) {
    this.from = fromDay;
    this.flags = new Uint8Array(toDay - fromDay + 1);
    for (let d = fromDay; d <= toDay; d++) this.flags[d - fromDay] = isWorkday(d) ? 1 : 0;
  }
  isWorkday(day: number): boolean {
    const i = day - this.from;
    return i >= 0 && i < this.flags.length ? this.flags[i] === 1 : isWorkday(day);
  }
  /** UTC minute reached after `minutes` of working time starting at `start` (UTC minute). */
  addWorkingMinutes(start: number, minutes: number): number {
    let remaining = minutes;
    let day = localDayOf(start);
    let mod = start + TZ_OFFSET_MIN - day * MIN_PER_DAY;
    for (let guard = 0; guard < 3660; guard++) {
      if (this.isWorkday(day)) {
        for (const [a, b] of WORK_PERIODS) {
          if (mod >= b) continue;
          const s = mod > a ? mod : a;
          const avail = b - s;
          if (remaining <= avail) return dayStartMinute(day) + s + remaining;
          remaining -= avail;
          mod = b;
        }
      }
      day++;
      mod = 0;
    }
    throw new Error('addWorkingMinutes: runaway');
  }
}
