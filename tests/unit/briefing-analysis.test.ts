import { describe, expect, it } from 'vitest';
import { analyseWeek, BriefingError, lastCompleteWeek } from '../../src-shared/briefing/briefing';
import { estimateDayWeights } from '../../src-shared/briefing/capacity';
import { BriefingDims } from '../../src-shared/briefing/dims';
import { callInText, formatP, riseText } from '../../src-shared/briefing/explain';
import { BriefingRollups, type RollupCase } from '../../src-shared/briefing/rollups';
import {
  isoWeekLabel,
  parseIsoWeek,
  weekEndMs,
  weekOfMs,
  weekStartMs,
} from '../../src-shared/briefing/weeks';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  dayIndexToMs,
  defaultCalendar,
  shanghaiDayIndex,
  shanghaiMs,
} from '../../src-shared/domain/calendar';
import { CASE_SOURCES, PRIORITIES } from '../../src-shared/domain/case-model';
import { countsForPeriod, rates } from '../../src-shared/domain/evaluation';
import { createRng, type Rng } from '../../src-shared/domain/geo';

// A small world: 2 towns × 3 villages, 3 majors × 2 classes, 2 departments, 2025-02-10 … 2025-06-29.
const DIMS = new BriefingDims({
  city: { code: '4419', name: '东莞市' },
  towns: [
    { code: '441900003', name: '东城街道' },
    { code: '441900106', name: '横沥镇' },
  ],
  villages: [
    { code: '441900003001', name: '岗贝社区', town: 0 },
    { code: '441900003002', name: '花园新村社区', town: 0 },
    { code: '441900003003', name: '东泰社区', town: 0 },
    { code: '441900106001', name: '田坑村', town: 1 },
    { code: '441900106002', name: '村尾村', town: 1 },
    { code: '441900106003', name: '水边村', town: 1 },
  ],
  majors: [
    { code: '01', nameZh: '消防安全', nameEn: 'Fire safety' },
    { code: '08', nameZh: '市容环境', nameEn: 'City appearance' },
    { code: '09', nameZh: '街面秩序', nameEn: 'Street order' },
  ],
  minors: [
    { code: '01001', major: 0, nameZh: '消防通道堵塞', nameEn: 'Blocked fire lane', department: 0 },
    { code: '01002', major: 0, nameZh: '电动车违规充电', nameEn: 'Illegal e-bike charging', department: 0 },
    { code: '08001', major: 1, nameZh: '暴露垃圾', nameEn: 'Exposed rubbish', department: 1 },
    { code: '08002', major: 1, nameZh: '乱张贴', nameEn: 'Fly-posting', department: 1 },
    { code: '09001', major: 2, nameZh: '占道经营', nameEn: 'Street vending', department: 1 },
    { code: '09002', major: 2, nameZh: '乱摆卖', nameEn: 'Hawking', department: 1 },
  ],
  departments: [
    { code: 'fire', nameZh: '消防救援支队', nameEn: 'Fire brigade' },
    { code: 'city', nameZh: '城市管理局', nameEn: 'City management' },
  ],
});

const START = shanghaiMs(2025, 2, 10);
const AS_OF = shanghaiMs(2025, 6, 30);
const CHOSEN = parseIsoWeek('2025-W26')!; // 23–29 June, the last complete week
const RISE = { village: 4, major: 0, factor: 3 }; // 村尾村 (横沥镇), 消防安全, in the chosen week
const LAGGARD = { village: 1, fromWeek: CHOSEN - 3 }; // 花园新村社区 closes late for 4 weeks
const KIND_WEIGHT = { workday: 1, weekend: 0.7, holiday: 0.5, makeup_workday: 0.95 } as const;
const SUNDAY_WEIGHT = 0.6;
const HOURS = [1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 8, 5, 5, 8, 9, 9, 7, 5, 4, 3, 3, 2, 1];
const HOUR_TOTAL = HOURS.reduce((a, b) => a + b, 0);

function poisson(rng: Rng, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > l) {
    k++;
    p *= rng.next();
  }
  return k;
}

function world(): { rollups: BriefingRollups; cases: RollupCase[] } {
  const rng = createRng('briefing-analysis');
  const cal = defaultCalendar();
  const cases: RollupCase[] = [];
  const rate = Array.from({ length: DIMS.nVillages * DIMS.nMinors }, () => 0.6 + rng.next() * 3);
  for (let day = shanghaiDayIndex(START); dayIndexToMs(day) < AS_OF; day++) {
    const info = cal.describeDay(dayIndexToMs(day));
    const weight = info.kind === 'weekend' && info.dayOfWeek === 0 ? SUNDAY_WEIGHT : KIND_WEIGHT[info.kind];
    const week = weekOfMs(dayIndexToMs(day));
    for (let v = 0; v < DIMS.nVillages; v++) {
      for (let m = 0; m < DIMS.nMinors; m++) {
        let lambda = rate[v * DIMS.nMinors + m] * weight;
        if (week === CHOSEN && v === RISE.village && DIMS.minorMajor[m] === RISE.major) lambda *= RISE.factor;
        const n = poisson(rng, lambda);
        for (let i = 0; i < n; i++) {
          let h = 0;
          for (let u = rng.next() * HOUR_TOTAL; u >= HOURS[h]; h++) u -= HOURS[h];
          const reportedAt = dayIndexToMs(day) + h * HOUR_MS + rng.int(60) * MINUTE_MS;
          const base: RollupCase = {
            reportedAt,
            category: m,
            village: v,
            source: rng.int(CASE_SOURCES.length),
            priority: 2,
            registeredAt: reportedAt,
            dispatchedAt: null,
            dueAt: null,
            closedAt: null,
            voidedAt: null,
            reworkCount: rng.next() < 0.05 ? 1 : 0,
            department: -1,
          };
          if (rng.next() < 0.5) {
            cases.push({ ...base, closedAt: reportedAt, reworkCount: 0 });
            continue;
          }
          const dispatchedAt = reportedAt + (10 + rng.int(40)) * MINUTE_MS;
          const dueAt = dispatchedAt + DAY_MS;
          const lagging = v === LAGGARD.village && week >= LAGGARD.fromWeek;
          const onTime = rng.next() < (lagging ? 0.2 : 0.9);
          cases.push({
            ...base,
            dispatchedAt,
            dueAt,
            closedAt: onTime
              ? dispatchedAt + (1 + rng.int(20)) * HOUR_MS
              : dueAt + (2 + rng.int(60)) * HOUR_MS,
            department: DIMS.data.minors[m].department,
          });
        }
      }
    }
  }
  const rollups = new BriefingRollups(DIMS, { asOfMs: AS_OF, coverageStartMs: START });
  for (const c of cases) rollups.addCase(c);
  return { rollups, cases };
}

const { rollups, cases } = world();

describe('analyseWeek on a small planted world', () => {
  const city = analyseWeek(rollups, { scope: '4419' });

  it('defaults to the last complete week and reports totals with week-over-week change', () => {
    expect(lastCompleteWeek(rollups)).toBe(CHOSEN);
    expect(city.week).toBe(CHOSEN);
    expect(city.weekLabel).toBe('2025-W26');
    expect(city.covered).toBe(1);
    expect(city.baselineWeeks).toEqual(Array.from({ length: 8 }, (_, i) => CHOSEN - 8 + i));
    const inWeek = (w: number) => cases.filter((c) => weekOfMs(c.reportedAt) === w).length;
    expect(city.totals.cases).toBe(inWeek(CHOSEN));
    expect(city.totals.weekOverWeek).toEqual({
      count: inWeek(CHOSEN - 1),
      delta: inWeek(CHOSEN) - inWeek(CHOSEN - 1),
      ratio: (inWeek(CHOSEN) - inWeek(CHOSEN - 1)) / inWeek(CHOSEN - 1),
    });
    expect(city.totals.yearOverYear).toBeNull(); // 2024-W26 is outside the history
    expect(city.totals.byMajor.map((m) => m.code)).toEqual(['01', '08', '09']);
    expect(city.totals.bySource?.reduce((s, x) => s + x.count, 0)).toBe(inWeek(CHOSEN));
    expect(city.trend).toHaveLength(CHOSEN - weekOfMs(START) + 1);
    expect(city.trend.at(-1)).toMatchObject({ label: '2025-W26', count: inWeek(CHOSEN), covered: 1 });
    expect(city.heat.counts.reduce((a, b) => a + b, 0)).toBe(inWeek(CHOSEN));
    expect(city.heat.expected).toHaveLength(168);
  });

  it('finds the planted rise (category × area) at city and town scope, explained in both languages', () => {
    const items = city.rising.categoryArea.items;
    expect(items.map((i) => [i.drill.majorCode, i.drill.areaCode])).toEqual([['01', '441900106']]);
    const [rise] = items;
    expect(rise.ratio).toBeGreaterThan(1.4); // one village of three tripled
    expect(rise.text['zh-CN']).toMatch(/^横沥镇消防安全由 \d+\.\d 件\/周升至 \d+ 件（\+\d+%），p < 0\.001$/);
    expect(rise.text.en).toMatch(
      /^Fire safety in 横沥镇 rose from \d+\.\d\/week to \d+ \(\+\d+%\), p < 0\.001$/,
    );
    expect(rise.drill).toMatchObject({
      scopeCode: '4419',
      fromMs: weekStartMs(CHOSEN),
      toMs: weekEndMs(CHOSEN),
    });
    const town = analyseWeek(rollups, { scope: '441900106' });
    expect(town.rising.categoryArea.items.map((i) => [i.drill.majorCode, i.drill.areaCode])).toEqual([
      ['01', '441900106002'],
    ]);
    expect(town.rising.categoryArea.items[0].text['zh-CN']).toMatch(/^村尾村消防安全/);
    // the rise is a tripling of a third of one town's fire cases: the city-wide fire total rises too
    expect(city.rising.category.items.map((i) => i.drill.majorCode)).toEqual(['01']);
    for (const f of ['minorCategory', 'area', 'hour', 'weekday'] as const)
      expect(city.rising[f].tested).toBeGreaterThan(0);
    expect(city.rising.hour.tested).toBe(24);
    expect(city.rising.weekday.tested).toBe(7);
  });

  it('finds nothing in a week without a planted rise', () => {
    const quiet = analyseWeek(rollups, { scope: '4419', week: CHOSEN - 2 });
    const flagged = Object.values(quiet.rising).reduce((s, r) => s + r.flaggedCount, 0);
    expect(flagged).toBe(0);
  });

  it('scales the baseline for holidays: Labour Day week expected within 10 % (unadjusted it would be off by > 15 %)', () => {
    const w = parseIsoWeek('2025-W18')!; // 28 Apr – 4 May: 1–4 May are holidays
    const b = analyseWeek(rollups, { scope: '4419', week: w });
    expect(Math.abs(b.totals.expected! / b.totals.cases - 1)).toBeLessThan(0.1);
    const plainMean =
      b.baselineWeeks
        .map((x) => cases.filter((c) => weekOfMs(c.reportedAt) === x).length)
        .reduce((a, c) => a + c, 0) / b.baselineWeeks.length;
    expect(plainMean / b.totals.cases - 1).toBeGreaterThan(0.15);
    expect(b.rising.weekday.flaggedCount + b.rising.area.flaggedCount).toBe(0);
  });

  it('estimates the day weights it was generated with', () => {
    const w = estimateDayWeights(rollups);
    expect(w.weekend[0]).toBeCloseTo(0.7, 1);
    expect(w.weekend[1]).toBeCloseTo(SUNDAY_WEIGHT, 1);
    expect(w.holiday).toBeGreaterThan(0.42);
    expect(w.holiday).toBeLessThan(0.58);
    expect(w.samples.holiday).toBeGreaterThanOrEqual(3);
    expect(w.hourShare[10] / w.hourShare[3]).toBeGreaterThan(6);
  });

  it('computes the rates with evaluation.ts formulas per area and department', () => {
    const want = rates(
      countsForPeriod(
        cases.map((c) => ({ ...c, priority: PRIORITIES[c.priority], source: CASE_SOURCES[c.source] })),
        weekStartMs(CHOSEN),
        weekEndMs(CHOSEN),
        AS_OF,
      ),
    );
    expect(city.rates.scope.rates).toEqual(want);
    expect(city.rates.areas.map((a) => a.code)).toEqual(['441900003', '441900106']);
    expect(city.rates.areas[0].counts.dueForClosure + city.rates.areas[1].counts.dueForClosure).toBe(
      city.rates.scope.counts.dueForClosure,
    );
    expect(city.rates.departments.map((d) => d.code).sort()).toEqual(['city', 'fire']);
    expect(city.rates.scope.composite).toBeGreaterThan(0);
  });

  it('calls in the village that lags on on-time closure for ≥ 3 weeks, and only it', () => {
    const town = analyseWeek(rollups, { scope: '441900003' });
    expect(town.callIn.map((c) => c.code)).toEqual(['441900003002']);
    const item = town.callIn[0];
    expect(item.streak).toBeGreaterThanOrEqual(3);
    expect(item.weeks.at(-1)!.label).toBe('2025-W26');
    expect(item.text['zh-CN']).toMatch(
      /^花园新村社区按期结案率连续 \d+ 周低于东城街道平均（本周 \d+\.\d%，平均 \d+\.\d%，差 \d+\.\d 个百分点）$/,
    );
    expect(item.text.en).toMatch(
      /^花园新村社区: on-time closure rate below the 东城街道 average for \d+ consecutive weeks/,
    );
    // before the lag started nobody is called in; a rate where nothing lags lists nobody
    expect(analyseWeek(rollups, { scope: '441900003', week: LAGGARD.fromWeek - 1 }).callIn).toEqual([]);
    expect(
      analyseWeek(rollups, { scope: '441900003', callIn: { measure: 'onTimeDispatchRate' } }).callIn,
    ).toEqual([]);
    // the composite score carries the same lag
    const composite = analyseWeek(rollups, { scope: '441900003', callIn: { measure: 'composite' } });
    expect(composite.callIn.map((c) => c.code)).toEqual(['441900003002']);
  });

  it('normalises per grid, per 1,000 rental units and per officer from the denominators given', () => {
    const b = analyseWeek(rollups, {
      scope: '441900106',
      denominators: {
        grids: [3, 3, 3, 4, 5, 6],
        rentalUnits: [900, 900, 900, 2000, 3000, 5000],
        officers: [9, 9, 9, 10, 12, 15],
      },
    });
    const n = b.normalised!;
    expect(n.scope).toMatchObject({ grids: 15, rentalUnits: 10_000, officers: 37 });
    expect(n.scope.perGrid).toBeCloseTo(b.totals.cases / 15, 12);
    expect(n.scope.per1000RentalUnits).toBeCloseTo(b.totals.cases / 10, 12);
    expect(n.areas.map((a) => a.code)).toEqual(['441900106001', '441900106002', '441900106003']);
    expect(n.areas[1].perOfficer).toBeCloseTo(n.areas[1].cases / 12, 12);
    expect(
      analyseWeek(rollups, { scope: '441900106', denominators: {} }).normalised!.scope.perGrid,
    ).toBeNull();
  });

  it('works at village scope (no areas below it, sources only per town)', () => {
    const b = analyseWeek(rollups, { scope: '441900106002' });
    expect(b.scope).toMatchObject({ level: 'village', name: '横沥镇村尾村' });
    expect(b.rising.categoryArea.tested).toBe(0);
    expect(b.rising.category.items.map((i) => i.drill.majorCode)).toEqual(['01']);
    expect(b.totals.bySource).toBeNull();
    expect(b.callIn).toEqual([]);
    expect(b.rates.areas).toEqual([]);
  });

  it('refuses unknown scopes and weeks outside the history, with codes', () => {
    expect(() => analyseWeek(rollups, { scope: '441900999' })).toThrow(BriefingError);
    expect(() => analyseWeek(rollups, { scope: '441900999' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_SCOPE' }),
    );
    expect(() => analyseWeek(rollups, { scope: '4419', week: parseIsoWeek('2024-W10')! })).toThrow(
      expect.objectContaining({ code: 'WEEK_OUTSIDE_HISTORY' }),
    );
    // the partial first week is inside the history, with fewer than 4 baseline weeks: no tests
    const early = analyseWeek(rollups, { scope: '4419', week: weekOfMs(START) + 1 });
    expect(early.rising.categoryArea.tested).toBe(0);
    expect(early.totals.expected).toBeNull();
    expect(early.totals.weekOverWeek).not.toBeNull();
  });

  it('gives the same briefing from rollups read back from bytes', () => {
    const back = BriefingRollups.fromBytes(rollups.toBytes());
    expect(JSON.stringify(analyseWeek(back, { scope: '441900003' }))).toBe(
      JSON.stringify(analyseWeek(rollups, { scope: '441900003' })),
    );
  });
});

describe('explain', () => {
  it('formats p-values and sentences', () => {
    expect(formatP(0.0004)).toBe('p < 0.001');
    expect(formatP(0.01234)).toBe('p = 0.012');
    expect(
      riseText(
        { kind: 'categoryArea', categoryZh: '消防安全', categoryEn: 'Fire safety', area: '横沥镇' },
        12.34,
        31,
        0.0002,
      ),
    ).toEqual({
      'zh-CN': '横沥镇消防安全由 12.3 件/周升至 31 件（+151%），p < 0.001',
      en: 'Fire safety in 横沥镇 rose from 12.3/week to 31 (+151%), p < 0.001',
    });
    expect(riseText({ kind: 'hour', hour: 22, scope: '东莞市' }, 100, 150, 0.02).en).toBe(
      'Cases at 22:00–23:00 in 东莞市 rose from 100/week to 150 (+50%), p = 0.02',
    );
    expect(riseText({ kind: 'weekday', weekday: 2, scope: '东莞市' }, 0, 12, 0.001)['zh-CN']).toBe(
      '东莞市周三事件由 0.0 件/周升至 12 件（+∞%），p = 0.001',
    );
    expect(callInText('石排镇', '东莞市', 'reworkRate', 3, 0.12, 0.08).en).toBe(
      '石排镇: rework rate above the 东莞市 average for 3 consecutive weeks (this week 12.0% vs 8.0%, +4.0 points)',
    );
    expect(callInText('石排镇', '东莞市', 'composite', 4, 71.25, 80)['zh-CN']).toBe(
      '石排镇综合评分连续 4 周低于东莞市平均（本周 71.3，平均 80.0，差 8.8 分）',
    );
    expect(isoWeekLabel(CHOSEN)).toBe('2025-W26');
  });
});
