import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, shanghaiMs } from '../../src-shared/domain/calendar';
import {
  hourOfWeekSlot,
  isoWeekLabel,
  isoWeekOf,
  isoWeeksInYear,
  parseIsoWeek,
  sameWeekLastYear,
  weekEndMs,
  weekOfMs,
  weekStartMs,
} from '../../src-shared/briefing/weeks';

describe('ISO weeks in Asia/Shanghai', () => {
  it('labels known dates (ISO year = year of the Thursday)', () => {
    const cases: Array<[number, number, number, string]> = [
      [2025, 12, 22, '2025-W52'],
      [2025, 12, 28, '2025-W52'],
      [2025, 12, 29, '2026-W01'], // Monday of the week holding Thursday 1 January 2026
      [2026, 1, 1, '2026-W01'],
      [2025, 1, 1, '2025-W01'],
      [2024, 12, 30, '2025-W01'],
      [2024, 12, 29, '2024-W52'],
      [2021, 1, 3, '2020-W53'],
      [2020, 12, 31, '2020-W53'],
      [1970, 1, 1, '1970-W01'],
    ];
    for (const [y, m, d, label] of cases)
      expect(isoWeekLabel(weekOfMs(shanghaiMs(y, m, d, 12))), `${y}-${m}-${d}`).toBe(label);
  });

  it('starts weeks on Monday 00:00 Shanghai time, not UTC', () => {
    const w = weekOfMs(shanghaiMs(2025, 12, 24));
    expect(weekStartMs(w)).toBe(shanghaiMs(2025, 12, 22));
    expect(weekEndMs(w)).toBe(shanghaiMs(2025, 12, 29));
    // Sunday 23:59 local is Sunday 15:59 UTC: still the same week; Monday 00:00 local is the next.
    expect(weekOfMs(shanghaiMs(2025, 12, 28, 23, 59))).toBe(w);
    expect(weekOfMs(shanghaiMs(2025, 12, 29, 0, 0))).toBe(w + 1);
    expect(weekOfMs(shanghaiMs(2025, 12, 29) - 1)).toBe(w);
  });

  it('parses labels back to the same week and rejects weeks that do not exist', () => {
    for (let w = weekOfMs(shanghaiMs(2015, 1, 1)); w < weekOfMs(shanghaiMs(2031, 1, 1)); w++) {
      expect(parseIsoWeek(isoWeekLabel(w))).toBe(w);
    }
    expect(parseIsoWeek('2025W52')).toBe(parseIsoWeek('2025-W52'));
    expect(parseIsoWeek('2025-W53')).toBeNull(); // 2025 has 52 ISO weeks
    expect(parseIsoWeek('2026-W53')).not.toBeNull(); // 2026 has 53
    expect(parseIsoWeek('2025-W00')).toBeNull();
    expect(parseIsoWeek('2025-52')).toBeNull();
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(isoWeekOf(parseIsoWeek('2026-W53')!)).toEqual({ year: 2026, week: 53 });
  });

  it('maps an instant to its hour-of-week slot (Monday 00 h = 0 … Sunday 23 h = 167)', () => {
    const monday = shanghaiMs(2025, 12, 22);
    expect(hourOfWeekSlot(monday)).toBe(0);
    expect(hourOfWeekSlot(monday + 10 * HOUR_MS + 59 * 60_000)).toBe(10);
    expect(hourOfWeekSlot(monday + 2 * DAY_MS + 22 * HOUR_MS)).toBe(2 * 24 + 22);
    expect(hourOfWeekSlot(monday + 7 * DAY_MS - 1)).toBe(167);
  });

  it('finds the same week last year, falling back to week 52 for a week 53', () => {
    expect(isoWeekLabel(sameWeekLastYear(parseIsoWeek('2025-W52')!))).toBe('2024-W52');
    expect(isoWeekLabel(sameWeekLastYear(parseIsoWeek('2026-W01')!))).toBe('2025-W01');
    expect(isoWeekLabel(sameWeekLastYear(parseIsoWeek('2020-W53')!))).toBe('2019-W52');
    expect(isoWeekLabel(sameWeekLastYear(parseIsoWeek('2021-W10')!))).toBe('2020-W10');
    expect(isoWeekLabel(sameWeekLastYear(parseIsoWeek('2026-W53')!))).toBe('2025-W52');
  });
});
