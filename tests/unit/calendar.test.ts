import { afterEach, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DEFAULT_WORKING_HOURS,
  HOUR_MS,
  MINUTE_MS,
  WorkingCalendar,
  civilFromDays,
  dayIndexToMs,
  dayOfWeek,
  daysFromCivil,
  defaultCalendar,
  formatShanghai,
  formatShanghaiDate,
  parseShanghai,
  shanghaiDayIndex,
  shanghaiMs,
  startOfDayShanghai,
  type CalendarConfig,
} from '../../src-shared/domain/calendar';
import { HOLIDAY_PERIODS, type HolidayPeriod } from '../../src-shared/domain/holidays';

const cal = defaultCalendar();
const at = (y: number, mo: number, d: number, h = 0, mi = 0): number => shanghaiMs(y, mo, d, h, mi);

function make(config: CalendarConfig): WorkingCalendar {
  const r = WorkingCalendar.create(config);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// A deliberately naive oracle: walk the days, ask Date for the weekday, look dates up in a Set.
function oracleFor(periods: readonly HolidayPeriod[], hours: ReadonlyArray<readonly [number, number]>) {
  const off = new Set<string>();
  const on = new Set<string>();
  for (const p of periods) {
    for (let t = Date.parse(`${p.from}T00:00:00Z`); t <= Date.parse(`${p.to}T00:00:00Z`); t += DAY_MS) {
      off.add(new Date(t).toISOString().slice(0, 10));
    }
    for (const d of p.makeUpWorkdays) on.add(d);
  }
  const working = (dayStartMs: number): boolean => {
    const local = new Date(dayStartMs + 8 * HOUR_MS);
    const iso = local.toISOString().slice(0, 10);
    if (on.has(iso)) return true;
    if (off.has(iso)) return false;
    const dow = local.getUTCDay();
    return dow !== 0 && dow !== 6;
  };
  return (a: number, b: number): number => {
    if (b < a) return 0;
    let sum = 0;
    for (let day = Math.floor((a + 8 * HOUR_MS) / DAY_MS) * DAY_MS - 8 * HOUR_MS; day < b; day += DAY_MS) {
      if (!working(day)) continue;
      for (const [s, e] of hours) {
        const lo = Math.max(a, day + s);
        const hi = Math.min(b, day + e);
        if (hi > lo) sum += hi - lo;
      }
    }
    return sum;
  };
}
const DEFAULT_HOURS_MS = [
  [8.5 * HOUR_MS, 12 * HOUR_MS],
  [14 * HOUR_MS, 18 * HOUR_MS],
] as const;
const oracle = oracleFor(HOLIDAY_PERIODS, DEFAULT_HOURS_MS);

describe('civil date arithmetic', () => {
  it('anchors at the Unix epoch', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromDays(0)).toEqual({ year: 1970, month: 1, day: 1 });
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
  });

  it('agrees with Date.UTC across leap years and centuries', () => {
    for (let days = -200_000; days <= 200_000; days += 37) {
      const d = new Date(days * DAY_MS);
      expect(civilFromDays(days)).toEqual({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
      });
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(days);
    }
    expect(civilFromDays(daysFromCivil(2000, 2, 29))).toEqual({ year: 2000, month: 2, day: 29 });
    expect(civilFromDays(daysFromCivil(2100, 2, 28) + 1)).toEqual({ year: 2100, month: 3, day: 1 });
  });

  it('dayOfWeek is 0 = Sunday, including before 1970', () => {
    expect(dayOfWeek(0)).toBe(4); // Thursday
    expect(dayOfWeek(daysFromCivil(2025, 1, 1))).toBe(3); // Wednesday
    expect(dayOfWeek(daysFromCivil(1969, 12, 28))).toBe(0);
    expect(dayOfWeek(-1)).toBe(3);
  });
});

describe('Shanghai fixed offset', () => {
  it('local midnight is 16:00 UTC of the previous day', () => {
    expect(at(2025, 1, 1)).toBe(Date.UTC(2024, 11, 31, 16, 0));
    expect(shanghaiDayIndex(Date.UTC(2024, 11, 31, 16, 0))).toBe(daysFromCivil(2025, 1, 1));
    expect(shanghaiDayIndex(Date.UTC(2024, 11, 31, 15, 59, 59, 999))).toBe(daysFromCivil(2024, 12, 31));
  });

  it('startOfDayShanghai floors to local midnight', () => {
    expect(startOfDayShanghai(at(2025, 6, 1, 23, 59) + 59_999)).toBe(at(2025, 6, 1));
    expect(startOfDayShanghai(at(2025, 6, 1))).toBe(at(2025, 6, 1));
    expect(startOfDayShanghai(at(2025, 6, 1) - 1)).toBe(at(2025, 5, 31));
    expect(startOfDayShanghai(-1)).toBe(-8 * HOUR_MS); // 1970-01-01 07:59:59.999 local
    expect(dayIndexToMs(shanghaiDayIndex(at(2030, 3, 3, 12)))).toBe(at(2030, 3, 3));
  });

  it('formatShanghai prints local wall time and truncates seconds', () => {
    expect(formatShanghai(Date.UTC(2025, 0, 1, 0, 30))).toBe('2025-01-01 08:30');
    expect(formatShanghai(Date.UTC(2024, 11, 31, 16, 0))).toBe('2025-01-01 00:00');
    expect(formatShanghai(Date.UTC(2024, 11, 31, 15, 59, 59, 999))).toBe('2024-12-31 23:59');
    expect(formatShanghai(0)).toBe('1970-01-01 08:00');
    expect(formatShanghai(-9 * HOUR_MS)).toBe('1969-12-31 23:00');
    expect(formatShanghaiDate(at(2028, 2, 29, 23, 59))).toBe('2028-02-29');
  });

  it('parseShanghai round-trips with formatShanghai', () => {
    for (const text of ['2025-01-01 00:00', '2026-02-28 23:59', '2024-02-29 12:30', '1999-12-31 08:05']) {
      const r = parseShanghai(text);
      if (!r.ok) throw new Error(r.reason);
      expect(formatShanghai(r.value)).toBe(text);
    }
    expect(parseShanghai('2025-03-04')).toEqual({ ok: true, value: at(2025, 3, 4) });
    expect(parseShanghai('2025-03-04T09:15')).toEqual({ ok: true, value: at(2025, 3, 4, 9, 15) });
  });

  it.each([
    '',
    '2025-1-1',
    '2025/01/01',
    '2025-01-01 8:00',
    '2025-02-29',
    '2100-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-01-01 24:00',
    '2025-01-01 23:60',
    ' 2025-01-01',
    '２０２５-01-01',
  ])('parseShanghai refuses %j with BAD_DATE', (text) => {
    const r = parseShanghai(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('BAD_DATE');
    expect(r.reason).toContain(JSON.stringify(text));
  });

  describe('does not depend on the host time zone', () => {
    const original = process.env.TZ;
    afterEach(() => {
      process.env.TZ = original;
    });
    it('gives the same answers under America/New_York and Asia/Kolkata', () => {
      const probe = (): unknown[] => [
        formatShanghai(Date.UTC(2025, 2, 9, 7, 30)), // US DST switch night
        shanghaiMs(2025, 3, 9, 15, 0),
        cal.isWorkingTime(at(2025, 3, 10, 9)),
        cal.addWorkingTime(at(2025, 3, 7, 17), 3 * HOUR_MS),
      ];
      const base = probe();
      for (const tz of ['America/New_York', 'Asia/Kolkata', 'UTC']) {
        process.env.TZ = tz;
        expect(probe()).toEqual(base);
      }
      expect(base[0]).toBe('2025-03-09 15:30');
    });
  });
});

describe('working days', () => {
  it.each([
    [at(2025, 3, 3), true, 'workday'], // Mon
    [at(2025, 3, 8), false, 'weekend'], // Sat
    [at(2025, 3, 9), false, 'weekend'], // Sun
    [at(2025, 1, 1), false, 'holiday'], // 元旦 Wed
    [at(2025, 1, 26), true, 'makeup_workday'], // Sun make-up for 春节
    [at(2025, 2, 8), true, 'makeup_workday'],
    [at(2025, 10, 8), false, 'holiday'], // Wed inside 国庆
    [at(2025, 10, 9), true, 'workday'],
    [at(2025, 10, 11), true, 'makeup_workday'], // Sat
    [at(2026, 1, 4), true, 'makeup_workday'],
    [at(2026, 2, 23), false, 'holiday'],
    [at(2026, 9, 20), true, 'makeup_workday'],
    [at(2027, 2, 14), true, 'makeup_workday'],
    [at(2027, 6, 9), false, 'holiday'],
  ])('%#: isWorkingDay and describeDay agree', (ms, working, kind) => {
    expect(cal.isWorkingDay(ms)).toBe(working);
    expect(cal.isWorkingDay(ms + DAY_MS - 1)).toBe(working);
    const info = cal.describeDay(ms + 13 * HOUR_MS);
    expect(info.kind).toBe(kind);
    expect(info.working).toBe(working);
    expect(info.covered).toBe(true);
  });

  it('names the break and flags provisional data', () => {
    expect(cal.describeDay(at(2025, 1, 29)).period).toEqual({
      nameZh: '春节',
      nameEn: 'Spring Festival',
      provisional: false,
    });
    expect(cal.describeDay(at(2025, 1, 26)).period?.nameZh).toBe('春节'); // make-up days belong to their break
    expect(cal.describeDay(at(2027, 10, 2)).period).toEqual({
      nameZh: '国庆节',
      nameEn: 'National Day',
      provisional: true,
    });
    expect(cal.describeDay(at(2025, 3, 3)).period).toBeNull();
    expect(cal.describeDay(at(2025, 3, 3))).toMatchObject({ date: '2025-03-03', dayOfWeek: 1 });
  });

  it('says which deadlines rest on provisional holiday dates or on a year the table does not cover', () => {
    // 2026-12-28 → 2027-01-08 spans 元旦 2027, derived from the rules (no notice yet).
    expect(cal.assumptionsIn(at(2026, 12, 28), at(2027, 1, 8))).toEqual({
      provisional: { nameZh: '元旦', nameEn: "New Year's Day", year: 2027 },
      uncovered: false,
    });
    // Spring Festival 2027 (Feb 5–13) from inside it; order of the bounds does not matter.
    expect(cal.assumptionsIn(at(2027, 2, 20), at(2027, 2, 8)).provisional?.nameZh).toBe('春节');
    // A span in 2027 with no break touched rests on nothing provisional.
    expect(cal.assumptionsIn(at(2027, 3, 1), at(2027, 3, 10))).toEqual({
      provisional: null,
      uncovered: false,
    });
    // 2026 is published: the 2026 National Day break is not provisional.
    expect(cal.assumptionsIn(at(2026, 9, 28), at(2026, 10, 12)).provisional).toBeNull();
    // A make-up Sunday belongs to its (provisional) break: 2027-01-31 for 春节.
    expect(cal.assumptionsIn(at(2027, 1, 31), at(2027, 1, 31)).provisional?.nameZh).toBe('春节');
    // Past the table's last year only weekends are known.
    expect(cal.assumptionsIn(at(2027, 12, 30), at(2028, 1, 5)).uncovered).toBe(true);
  });

  it('knows weekends only outside 2025–2027', () => {
    expect(cal.coveredDays).toEqual({ first: daysFromCivil(2025, 1, 1), last: daysFromCivil(2027, 12, 31) });
    expect(cal.isWorkingDay(at(2024, 10, 1))).toBe(true); // a real holiday, unknown to the table
    expect(cal.isWorkingDay(at(2028, 10, 2))).toBe(true);
    expect(cal.isWorkingDay(at(2028, 1, 1))).toBe(false); // Saturday
    expect(cal.isWorkingDay(at(2024, 12, 31))).toBe(true);
    const before = cal.describeDay(at(2024, 12, 31, 23, 59));
    expect(before).toMatchObject({ covered: false, kind: 'workday', period: null });
    expect(cal.describeDay(at(2025, 1, 1)).covered).toBe(true);
    expect(cal.describeDay(at(2027, 12, 31, 23, 59)).covered).toBe(true);
    expect(cal.describeDay(at(2028, 1, 1)).covered).toBe(false);
  });

  it('counts 248 working days in each table year and 261 weekdays in 2024 and 2028 (no holidays known)', () => {
    for (const y of [2025, 2026, 2027])
      expect(cal.workingDaysBetween(at(y, 1, 1), at(y + 1, 1, 1))).toBe(248);
    expect(cal.workingDaysBetween(at(2024, 1, 1), at(2025, 1, 1))).toBe(262); // leap year, Mon start
    expect(cal.workingDaysBetween(at(2028, 1, 1), at(2029, 1, 1))).toBe(260);
  });

  it('workingDaysBetween is signed and matches a day-by-day count', () => {
    const from = at(2024, 11, 3);
    const to = at(2028, 2, 10);
    let count = 0;
    for (let t = from; t < to; t += DAY_MS) if (cal.isWorkingDay(t)) count++;
    expect(cal.workingDaysBetween(from, to)).toBe(count);
    expect(cal.workingDaysBetween(to, from)).toBe(-count);
    expect(cal.workingDaysBetween(from, from + 5 * HOUR_MS)).toBe(0);
  });
});

describe('working time of day', () => {
  const mon = at(2025, 3, 3);
  it.each([
    [0, false],
    [8 * HOUR_MS + 29 * MINUTE_MS + 59_999, false],
    [8.5 * HOUR_MS, true],
    [12 * HOUR_MS - 1, true],
    [12 * HOUR_MS, false],
    [14 * HOUR_MS - 1, false],
    [14 * HOUR_MS, true],
    [18 * HOUR_MS - 1, true],
    [18 * HOUR_MS, false],
    [DAY_MS - 1, false],
  ])('Monday +%d ms → %s', (offset, expected) => {
    expect(cal.isWorkingTime(mon + offset)).toBe(expected);
  });

  it('is never working time on a day off, and is on a make-up day', () => {
    expect(cal.isWorkingTime(at(2025, 3, 8, 10))).toBe(false);
    expect(cal.isWorkingTime(at(2025, 10, 3, 10))).toBe(false);
    expect(cal.isWorkingTime(at(2025, 9, 28, 10))).toBe(true);
  });

  it('exposes the working ms per day', () => {
    expect(cal.workingMsPerDay).toBe(7.5 * HOUR_MS);
    expect(DEFAULT_WORKING_HOURS).toEqual([
      { start: '08:30', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ]);
  });
});

describe('workingMsBetween', () => {
  it('handles simple cases', () => {
    expect(cal.workingMsBetween(at(2025, 3, 3, 9), at(2025, 3, 3, 10))).toBe(HOUR_MS);
    expect(cal.workingMsBetween(at(2025, 3, 3, 11), at(2025, 3, 3, 15))).toBe(2 * HOUR_MS); // lunch skipped
    expect(cal.workingMsBetween(at(2025, 3, 3, 12, 30), at(2025, 3, 3, 13, 30))).toBe(0);
    expect(cal.workingMsBetween(at(2025, 3, 3), at(2025, 3, 4))).toBe(7.5 * HOUR_MS);
    expect(cal.workingMsBetween(at(2025, 3, 7, 17), at(2025, 3, 10, 9))).toBe(1.5 * HOUR_MS); // over a weekend
    expect(cal.workingMsBetween(at(2025, 3, 8, 9), at(2025, 3, 9, 17))).toBe(0);
  });

  it('skips the 2025 Spring Festival and counts its make-up Sunday', () => {
    // Fri Jan 24 17:00 → Sun Jan 26 (make-up) full day, Mon Jan 27 full day, then Jan 28 – Feb 4 off
    expect(cal.workingMsBetween(at(2025, 1, 24, 17), at(2025, 2, 5, 8, 30))).toBe(
      HOUR_MS + 2 * 7.5 * HOUR_MS,
    );
  });

  it('is antisymmetric and zero for equal instants', () => {
    const a = at(2025, 4, 30, 10);
    const b = at(2025, 5, 7, 16);
    expect(cal.workingMsBetween(a, b)).toBe(-cal.workingMsBetween(b, a));
    expect(cal.workingMsBetween(a, a)).toBe(0);
  });

  it('matches the naive oracle on random spans inside and outside the table', () => {
    const rnd = mulberry32(20250101);
    const lo = at(2024, 11, 1);
    const hi = at(2028, 2, 1);
    for (let i = 0; i < 400; i++) {
      const a = Math.floor(lo + rnd() * (hi - lo));
      const b = a + Math.floor(rnd() * (i % 4 === 0 ? 120 : 12) * DAY_MS);
      expect(cal.workingMsBetween(a, b), `${formatShanghai(a)} → ${formatShanghai(b)}`).toBe(oracle(a, b));
    }
  });
});

describe('addWorkingTime', () => {
  it('adds within the same interval', () => {
    expect(cal.addWorkingTime(at(2025, 3, 3, 9), HOUR_MS)).toBe(at(2025, 3, 3, 10));
  });

  it('stops at an interval end instead of jumping to the next start', () => {
    expect(cal.addWorkingTime(at(2025, 3, 3, 11), HOUR_MS)).toBe(at(2025, 3, 3, 12));
    expect(cal.addWorkingTime(at(2025, 3, 3, 11), HOUR_MS + 1)).toBe(at(2025, 3, 3, 14) + 1);
    expect(cal.addWorkingTime(at(2025, 3, 3, 17), HOUR_MS)).toBe(at(2025, 3, 3, 18));
    expect(cal.addWorkingTime(at(2025, 3, 3, 17), HOUR_MS + MINUTE_MS)).toBe(at(2025, 3, 4, 8, 31));
  });

  it('starts counting at the next working instant when started off hours', () => {
    expect(cal.addWorkingTime(at(2025, 3, 3, 3), HOUR_MS)).toBe(at(2025, 3, 3, 9, 30));
    expect(cal.addWorkingTime(at(2025, 3, 3, 12, 30), HOUR_MS)).toBe(at(2025, 3, 3, 15));
    expect(cal.addWorkingTime(at(2025, 3, 8, 10), HOUR_MS)).toBe(at(2025, 3, 10, 9, 30));
    expect(cal.addWorkingTime(at(2025, 3, 3, 20), HOUR_MS)).toBe(at(2025, 3, 4, 9, 30));
  });

  it('uses make-up days and skips holidays', () => {
    expect(cal.addWorkingTime(at(2025, 9, 26, 17), 2 * HOUR_MS)).toBe(at(2025, 9, 28, 9, 30)); // Sun make-up
    expect(cal.addWorkingTime(at(2025, 9, 30, 17), 2 * HOUR_MS)).toBe(at(2025, 10, 9, 9, 30)); // after 国庆
    expect(cal.addWorkingTime(at(2026, 2, 13, 17), 2 * HOUR_MS)).toBe(at(2026, 2, 14, 9, 30)); // Sat make-up
    expect(cal.addWorkingTime(at(2027, 2, 4, 17), 2 * HOUR_MS)).toBe(at(2027, 2, 14, 9, 30));
  });

  it('handles amounts of many days', () => {
    // 10 full working days from Mon Mar 3 08:30 → end of Fri Mar 14
    expect(cal.addWorkingTime(at(2025, 3, 3, 8, 30), 10 * 7.5 * HOUR_MS)).toBe(at(2025, 3, 14, 18));
    // one working year from the first working instant of 2025
    expect(cal.addWorkingTime(at(2025, 1, 2, 8, 30), 248 * 7.5 * HOUR_MS)).toBe(at(2025, 12, 31, 18));
  });

  it('returns the start for a zero amount, even off hours', () => {
    expect(cal.addWorkingTime(at(2025, 3, 8, 3), 0)).toBe(at(2025, 3, 8, 3));
  });

  it('throws on a negative or non-finite amount', () => {
    expect(() => cal.addWorkingTime(at(2025, 3, 3), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingTime(at(2025, 3, 3), Number.NaN)).toThrow(RangeError);
    expect(() => cal.addWorkingTime(at(2025, 3, 3), Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => cal.addWorkingTime(Number.NaN, 1)).toThrow(RangeError);
  });

  it('is the exact, earliest inverse of workingMsBetween (random)', () => {
    const rnd = mulberry32(7);
    const lo = at(2024, 12, 1);
    const hi = at(2028, 1, 15);
    for (let i = 0; i < 500; i++) {
      const start = Math.floor(lo + rnd() * (hi - lo));
      const amount = 1 + Math.floor(rnd() * (i % 5 === 0 ? 40 : 3) * 7.5 * HOUR_MS);
      const end = cal.addWorkingTime(start, amount);
      expect(cal.workingMsBetween(start, end)).toBe(amount);
      expect(cal.workingMsBetween(start, end - 1)).toBe(amount - 1);
      expect(oracle(start, end)).toBe(amount);
    }
  });
});

describe('addWorkingDays', () => {
  it('keeps the clock time when started in working hours', () => {
    expect(cal.addWorkingDays(at(2025, 3, 3, 10), 2)).toBe(at(2025, 3, 5, 10));
    expect(cal.addWorkingDays(at(2025, 3, 7, 10), 1)).toBe(at(2025, 3, 10, 10)); // over the weekend
    expect(cal.addWorkingDays(at(2025, 9, 30, 10), 1)).toBe(at(2025, 10, 9, 10)); // over 国庆
  });

  it('ends at the end of the n-th working day when started off hours', () => {
    expect(cal.addWorkingDays(at(2025, 3, 8, 10), 1)).toBe(at(2025, 3, 10, 18)); // Saturday
    expect(cal.addWorkingDays(at(2025, 3, 3, 7), 1)).toBe(at(2025, 3, 3, 18)); // before work
    expect(cal.addWorkingDays(at(2025, 3, 3, 19), 1)).toBe(at(2025, 3, 4, 18)); // after work
  });

  it('maps a lunch-break start to 12:00', () => {
    expect(cal.addWorkingDays(at(2025, 3, 3, 13), 1)).toBe(at(2025, 3, 4, 12));
  });

  it('accepts fractions and zero, refuses negatives', () => {
    expect(cal.addWorkingDays(at(2025, 3, 3, 8, 30), 0.5)).toBe(at(2025, 3, 3, 14, 15));
    expect(cal.addWorkingDays(at(2025, 3, 3, 10), 0)).toBe(at(2025, 3, 3, 10));
    expect(() => cal.addWorkingDays(at(2025, 3, 3), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(at(2025, 3, 3), Number.NaN)).toThrow(RangeError);
  });
});

describe('configuration', () => {
  it('accepts custom working hours', () => {
    const allDay = make({ workingHours: [{ start: '00:00', end: '24:00' }] });
    expect(allDay.workingMsPerDay).toBe(DAY_MS);
    expect(allDay.isWorkingTime(at(2025, 3, 3, 23, 59))).toBe(true);
    expect(allDay.addWorkingTime(at(2025, 3, 7, 20), 8 * HOUR_MS)).toBe(at(2025, 3, 10, 4));
    const three = make({
      workingHours: [
        { start: '08:00', end: '12:00' },
        { start: '12:00', end: '13:00' },
        { start: '19:00', end: '21:30' },
      ],
    });
    expect(three.workingMsPerDay).toBe(7.5 * HOUR_MS);
    expect(three.addWorkingTime(at(2025, 3, 3, 12, 30), 2 * HOUR_MS)).toBe(at(2025, 3, 3, 20, 30));
    const o = oracleFor(HOLIDAY_PERIODS, [
      [8 * HOUR_MS, 13 * HOUR_MS],
      [19 * HOUR_MS, 21.5 * HOUR_MS],
    ]);
    const rnd = mulberry32(99);
    for (let i = 0; i < 100; i++) {
      const a = at(2025, 1, 1) + Math.floor(rnd() * 400 * DAY_MS);
      const b = a + Math.floor(rnd() * 20 * DAY_MS);
      expect(three.workingMsBetween(a, b)).toBe(o(a, b));
    }
  });

  it('accepts a custom holiday table and covers its whole years', () => {
    const c = make({
      holidays: [
        {
          year: 2030,
          nameZh: '测试',
          nameEn: 'Test',
          from: '2030-06-03',
          to: '2030-06-04',
          makeUpWorkdays: ['2030-06-08'],
          provisional: false,
        },
      ],
    });
    expect(c.coveredDays).toEqual({ first: daysFromCivil(2030, 1, 1), last: daysFromCivil(2030, 12, 31) });
    expect(c.isWorkingDay(at(2030, 6, 3))).toBe(false);
    expect(c.isWorkingDay(at(2030, 6, 8))).toBe(true);
    expect(c.isWorkingDay(at(2025, 10, 1))).toBe(true); // default table replaced, not merged
    expect(c.workingDaysBetween(at(2030, 6, 1), at(2030, 6, 15))).toBe(10 - 2 + 1);
  });

  it('with an empty holiday table knows weekends only', () => {
    const c = make({ holidays: [] });
    expect(c.coveredDays).toBeNull();
    expect(c.isWorkingDay(at(2025, 10, 1))).toBe(true);
    expect(c.isWorkingDay(at(2025, 9, 28))).toBe(false);
    expect(c.describeDay(at(2025, 10, 1)).covered).toBe(false);
    expect(c.workingDaysBetween(at(2025, 1, 1), at(2026, 1, 1))).toBe(261);
  });

  it.each([
    [{ workingHours: [] }, 'EMPTY_HOURS', 'at least one'],
    [{ workingHours: [{ start: '8:30', end: '12:00' }] }, 'BAD_TIME', '"8:30"'],
    [{ workingHours: [{ start: '24:00', end: '24:00' }] }, 'BAD_TIME', '"24:00"'],
    [{ workingHours: [{ start: '08:00', end: '24:01' }] }, 'BAD_TIME', '"24:01"'],
    [{ workingHours: [{ start: '08:60', end: '12:00' }] }, 'BAD_TIME', '"08:60"'],
    [{ workingHours: [{ start: '08:00', end: '' }] }, 'BAD_TIME', '""'],
    [{ workingHours: [{ start: '12:00', end: '12:00' }] }, 'BAD_INTERVAL', '12:00–12:00'],
    [{ workingHours: [{ start: '14:00', end: '08:00' }] }, 'BAD_INTERVAL', '14:00–08:00'],
    [
      {
        workingHours: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
      },
      'OVERLAPPING_INTERVALS',
      '11:00–13:00',
    ],
    [
      {
        workingHours: [
          { start: '14:00', end: '18:00' },
          { start: '08:30', end: '12:00' },
        ],
      },
      'OVERLAPPING_INTERVALS',
      '08:30–12:00',
    ],
    [
      {
        holidays: [
          {
            year: 2030,
            nameZh: 'x',
            nameEn: 'Bad',
            from: '2030-02-30',
            to: '2030-03-01',
            makeUpWorkdays: [],
            provisional: false,
          },
        ],
      },
      'BAD_HOLIDAY',
      '2030-02-30',
    ],
    [
      {
        holidays: [
          {
            year: 2030,
            nameZh: 'x',
            nameEn: 'Bad',
            from: '2030-03-05',
            to: '2030-03-01',
            makeUpWorkdays: [],
            provisional: false,
          },
        ],
      },
      'BAD_HOLIDAY',
      'before it starts',
    ],
    [
      {
        holidays: [
          {
            year: 2030,
            nameZh: 'x',
            nameEn: 'Bad',
            from: '2030-03-05',
            to: '2030-03-06',
            makeUpWorkdays: ['2030-3-9'],
            provisional: false,
          },
        ],
      },
      'BAD_HOLIDAY',
      '"2030-3-9"',
    ],
    [
      {
        holidays: [
          {
            year: 2030,
            nameZh: 'x',
            nameEn: 'Bad',
            from: '2030-03-05',
            to: '2030-03-06',
            makeUpWorkdays: ['2030-03-07'],
            provisional: false,
          },
        ],
      },
      'BAD_HOLIDAY',
      'not a Saturday or Sunday',
    ],
    [
      {
        holidays: [
          {
            year: 2030,
            nameZh: 'x',
            nameEn: 'A',
            from: '2030-03-08',
            to: '2030-03-10',
            makeUpWorkdays: [],
            provisional: false,
          },
          {
            year: 2030,
            nameZh: 'y',
            nameEn: 'B',
            from: '2030-03-12',
            to: '2030-03-12',
            makeUpWorkdays: ['2030-03-09'],
            provisional: false,
          },
        ],
      },
      'BAD_HOLIDAY',
      'itself a holiday',
    ],
  ] as Array<[CalendarConfig, string, string]>)('rejects config %# with %s', (config, code, fragment) => {
    const r = WorkingCalendar.create(config);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    expect(r.reason).toContain(fragment);
  });

  it('defaultCalendar is built once', () => {
    expect(defaultCalendar()).toBe(cal);
  });
});
