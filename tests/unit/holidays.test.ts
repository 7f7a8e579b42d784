import { describe, expect, it } from 'vitest';
import { HOLIDAY_PERIODS, HOLIDAY_TABLE_YEARS, type HolidayPeriod } from '../../src-shared/domain/holidays';

// Independent of calendar.ts on purpose: Date.UTC on a calendar date gives its weekday directly.
function weekday(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}
function daysOf(p: HolidayPeriod): string[] {
  const out: string[] = [];
  const [y, m, d] = p.from.split('-').map(Number);
  for (let t = Date.UTC(y, m - 1, d); ; t += 86_400_000) {
    const iso = new Date(t).toISOString().slice(0, 10);
    out.push(iso);
    if (iso === p.to) return out;
    if (out.length > 40) throw new Error(`runaway period ${p.from}–${p.to}`);
  }
}
const isWeekend = (iso: string): boolean => weekday(iso) === 0 || weekday(iso) === 6;

/** Days each festival adds by statute (全国年节及纪念日放假办法, 2024 amendment). */
const STATUTORY: Record<string, number> = {
  元旦: 1,
  春节: 4,
  清明节: 1,
  劳动节: 2,
  端午节: 1,
  中秋节: 1,
  国庆节: 3,
  '国庆节、中秋节': 4,
};

function find(year: number, nameZh: string): HolidayPeriod {
  const p = HOLIDAY_PERIODS.find((x) => x.year === year && x.nameZh === nameZh);
  if (p === undefined) throw new Error(`no ${nameZh} ${year}`);
  return p;
}

describe('holiday table shape', () => {
  it('covers 2025–2027', () => {
    expect(HOLIDAY_TABLE_YEARS).toEqual({ first: 2025, last: 2027 });
    expect(new Set(HOLIDAY_PERIODS.map((p) => p.year))).toEqual(new Set([2025, 2026, 2027]));
  });

  it('every entry is well-formed and named in both languages', () => {
    for (const p of HOLIDAY_PERIODS) {
      expect(p.from <= p.to, `${p.from}..${p.to}`).toBe(true);
      expect(p.from.slice(0, 4)).toBe(String(p.year));
      expect(p.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(p.nameEn).toMatch(/^[A-Za-z' -]+$/);
      expect(STATUTORY[p.nameZh], p.nameZh).toBeDefined();
    }
  });

  it('only 2027 is provisional', () => {
    for (const p of HOLIDAY_PERIODS) expect(p.provisional).toBe(p.year === 2027);
  });

  it('make-up working days are weekend days outside every break', () => {
    const off = new Set(HOLIDAY_PERIODS.flatMap(daysOf));
    for (const p of HOLIDAY_PERIODS) {
      for (const d of p.makeUpWorkdays) {
        expect(isWeekend(d), `${d} of ${p.nameZh} ${p.year}`).toBe(true);
        expect(off.has(d)).toBe(false);
      }
    }
  });

  it('breaks do not overlap', () => {
    const seen = new Map<string, string>();
    for (const p of HOLIDAY_PERIODS) {
      for (const d of daysOf(p)) {
        expect(seen.get(d), d).toBeUndefined();
        seen.set(d, p.nameZh);
      }
    }
  });

  it('each break nets exactly its statutory days (weekdays off minus make-up days)', () => {
    for (const p of HOLIDAY_PERIODS) {
      const weekdaysOff = daysOf(p).filter((d) => !isWeekend(d)).length;
      expect(weekdaysOff - p.makeUpWorkdays.length, `${p.nameZh} ${p.year}`).toBe(STATUTORY[p.nameZh]);
    }
  });

  it('each year nets 13 statutory days', () => {
    for (const year of [2025, 2026, 2027]) {
      const net = HOLIDAY_PERIODS.filter((p) => p.year === year).reduce(
        (sum, p) => sum + daysOf(p).filter((d) => !isWeekend(d)).length - p.makeUpWorkdays.length,
        0,
      );
      expect(net, String(year)).toBe(13);
    }
  });
});

describe('2025 matches the State Council notice', () => {
  it.each([
    ['元旦', '2025-01-01', '2025-01-01', []],
    ['春节', '2025-01-28', '2025-02-04', ['2025-01-26', '2025-02-08']],
    ['清明节', '2025-04-04', '2025-04-06', []],
    ['劳动节', '2025-05-01', '2025-05-05', ['2025-04-27']],
    ['端午节', '2025-05-31', '2025-06-02', []],
    ['国庆节、中秋节', '2025-10-01', '2025-10-08', ['2025-09-28', '2025-10-11']],
  ])('%s %s – %s', (name, from, to, makeUp) => {
    const p = find(2025, name);
    expect([p.from, p.to, p.makeUpWorkdays]).toEqual([from, to, makeUp]);
  });

  it('has the weekdays the notice names', () => {
    expect(weekday('2025-01-26')).toBe(0); // Sunday
    expect(weekday('2025-02-08')).toBe(6); // Saturday
    expect(weekday('2025-04-27')).toBe(0);
    expect(weekday('2025-09-28')).toBe(0);
    expect(weekday('2025-10-11')).toBe(6);
  });
});

describe('2026 matches the notice of November 2025', () => {
  it.each([
    ['元旦', '2026-01-01', '2026-01-03', ['2026-01-04']],
    ['春节', '2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']],
    ['清明节', '2026-04-04', '2026-04-06', []],
    ['劳动节', '2026-05-01', '2026-05-05', ['2026-05-09']],
    ['端午节', '2026-06-19', '2026-06-21', []],
    ['中秋节', '2026-09-25', '2026-09-27', []],
    ['国庆节', '2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10']],
  ])('%s %s – %s', (name, from, to, makeUp) => {
    const p = find(2026, name);
    expect([p.from, p.to, p.makeUpWorkdays]).toEqual([from, to, makeUp]);
  });
});

describe('2027 (provisional) follows the statutory rules', () => {
  it('元旦 Fri Jan 1 + weekend, no make-up', () => {
    expect(weekday('2027-01-01')).toBe(5);
    expect(find(2027, '元旦')).toMatchObject({ from: '2027-01-01', to: '2027-01-03', makeUpWorkdays: [] });
  });

  it('春节 starts on 除夕 (Fri Feb 5, day before New Year Sat Feb 6) and ends on a day followed by work', () => {
    expect(weekday('2027-02-06')).toBe(6);
    const p = find(2027, '春节');
    expect(p).toMatchObject({ from: '2027-02-05', to: '2027-02-13' });
    expect(daysOf(p)).toHaveLength(9);
    // the day after the break must be a working day, else the break silently grows
    expect(p.makeUpWorkdays).toContain('2027-02-14');
  });

  it('清明 Mon Apr 5 → Apr 3–5', () => {
    expect(weekday('2027-04-05')).toBe(1);
    expect(find(2027, '清明节')).toMatchObject({ from: '2027-04-03', to: '2027-04-05' });
  });

  it('劳动节 May 1–5 with one make-up day', () => {
    expect(find(2027, '劳动节')).toMatchObject({ from: '2027-05-01', to: '2027-05-05' });
    expect(find(2027, '劳动节').makeUpWorkdays).toHaveLength(1);
  });

  it('端午 and 中秋 fall on a Wednesday and stay single days', () => {
    expect(weekday('2027-06-09')).toBe(3);
    expect(weekday('2027-09-15')).toBe(3);
    expect(find(2027, '端午节')).toMatchObject({ from: '2027-06-09', to: '2027-06-09', makeUpWorkdays: [] });
    expect(find(2027, '中秋节')).toMatchObject({ from: '2027-09-15', to: '2027-09-15', makeUpWorkdays: [] });
  });

  it('国庆 Oct 1–7 with two make-up days', () => {
    expect(find(2027, '国庆节')).toMatchObject({ from: '2027-10-01', to: '2027-10-07' });
    expect(find(2027, '国庆节').makeUpWorkdays).toEqual(['2027-09-26', '2027-10-09']);
  });
});
