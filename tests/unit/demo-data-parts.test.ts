import { describe, expect, it } from 'vitest';

import { createRng } from '../../src-shared/domain/geo';
import {
  dayStartMinute,
  formatDay,
  isoLocal,
  isWorkday,
  parseDay,
  weekday,
  WorkdayTable,
} from '../../scripts/demo-data/calendar-lite';
import { numberingOrder, townKind, villageShortName } from '../../scripts/demo-data/geography';
import { InputError, loadInputs, validateCatalog } from '../../scripts/demo-data/inputs';
import { AliasTable, apportion } from '../../scripts/demo-data/sampling';

describe('calendar-lite (+08:00)', () => {
  it('converts days and weekdays', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(formatDay(parseDay('2025-12-31'))).toBe('2025-12-31');
    expect(weekday(parseDay('2025-12-31'))).toBe(3); // Wednesday
    expect(() => parseDay('2025-02-30')).toThrow();
    expect(isoLocal(dayStartMinute(parseDay('2025-06-01')))).toBe('2025-06-01T00:00:00+08:00');
  });

  it('knows holidays and make-up working days', () => {
    expect(isWorkday(parseDay('2025-10-08'))).toBe(false); // National Day holiday
    expect(isWorkday(parseDay('2025-09-28'))).toBe(true); // Sunday, make-up day
    expect(isWorkday(parseDay('2025-12-27'))).toBe(false); // Saturday
    expect(isWorkday(parseDay('2025-12-29'))).toBe(true);
  });

  it('adds working minutes across lunch, nights and weekends', () => {
    const w = new WorkdayTable(parseDay('2025-12-01'), parseDay('2026-01-31'));
    const at = (s: string, hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number);
      return dayStartMinute(parseDay(s)) + h * 60 + m;
    };
    expect(w.addWorkingMinutes(at('2025-12-29', '09:00'), 60)).toBe(at('2025-12-29', '10:00'));
    expect(w.addWorkingMinutes(at('2025-12-29', '11:30'), 60)).toBe(at('2025-12-29', '14:30'));
    expect(w.addWorkingMinutes(at('2025-12-26', '17:00'), 60)).toBe(at('2025-12-29', '09:00')); // Fri → Mon
    expect(w.addWorkingMinutes(at('2025-12-31', '20:00'), 30)).toBe(at('2026-01-04', '09:00')); // New Year, then a make-up Sunday
  });
});

describe('sampling', () => {
  it('apportion splits exactly, proportionally', () => {
    const parts = apportion(1000, [1, 2, 3, 4]);
    expect(Array.from(parts)).toEqual([100, 200, 300, 400]);
    const odd = apportion(10, [1, 1, 1]);
    expect(odd.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Array.from(apportion(5, [0, 0]))).toEqual([0, 0]);
  });

  it('alias table draws with the given frequencies', () => {
    const t = new AliasTable([1, 0, 3, 6]);
    const rng = createRng('alias');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[t.sample(rng)]++;
    expect(counts[1]).toBe(0);
    expect(counts[0] / 1e5).toBeCloseTo(0.1, 2);
    expect(counts[3] / 1e5).toBeCloseTo(0.6, 2);
  });
});

describe('numbering and names', () => {
  it('numbers rows north → south, west → east within a row', () => {
    // 4 cells in a unit bbox: rows = 2; NW, NE, SW, SE
    const order = numberingOrder(
      [
        [0.8, 0.2], // SE
        [0.2, 0.8], // NW
        [0.3, 0.3], // SW
        [0.7, 0.9], // NE
      ],
      [0, 0, 1, 1],
    );
    expect(order).toEqual([1, 3, 2, 0]);
  });

  it('short village names and town kinds', () => {
    expect(villageShortName('岗贝社区居民委员会')).toBe('岗贝社区');
    expect(villageShortName('田坑村民委员会')).toBe('田坑村');
    expect(villageShortName('唐洪村村民委员会')).toBe('唐洪村');
    expect(villageShortName('黄旗生活区')).toBe('黄旗生活区');
    expect(townKind('441900003')).toBe('street');
    expect(townKind('441900106')).toBe('town');
    expect(townKind('441900401')).toBe('zone');
  });
});

describe('inputs', () => {
  it('loads the committed resources: 36 towns, 609 villages, ≥ 12/100 classes', () => {
    const inp = loadInputs();
    expect(inp.towns).toHaveLength(36);
    expect(inp.villages).toHaveLength(609);
    expect(inp.majors.length).toBeGreaterThanOrEqual(12);
    expect(inp.minors.length).toBeGreaterThanOrEqual(100);
    expect(inp.departments.length).toBeGreaterThanOrEqual(19);
    expect(inp.outline).toHaveLength(1);
  });

  it('rejects a bad catalogue with every problem listed', () => {
    const deps = new Set(['fire']);
    const bad = {
      majors: [
        {
          code: '1',
          nameZh: '消防',
          nameEn: 'Fire',
          departmentCode: 'fire',
          minors: [
            {
              code: '02001',
              nameZh: 'x',
              nameEn: 'x',
              departmentCode: 'nobody',
              priority: 'whenever',
              timeLimit: { unit: 'weeks', value: 0 },
              filingCondition: '',
              closingStandard: 'ok',
              demoWeight: 0,
            },
          ],
        },
      ],
    };
    let message = '';
    try {
      validateCatalog(bad, deps);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      message = (e as Error).message;
    }
    for (const part of [
      'bad or duplicate code',
      'unknown department',
      'bad priority',
      'bad time limit',
      '立案条件',
      '结案条件',
      'demoWeight',
      '≥ 12 major',
    ]) {
      expect(message).toContain(part);
    }
  });
});
