// Scope slices of the rollups (src-shared/briefing/slice.ts): a town's or village's slice holds
// exactly the cells of the rollups built from that scope's cases alone, round-trips through its
// wire format, and — with the city's weekly totals — gives the same briefing as the whole.
import { describe, expect, it } from 'vitest';
import { analyseWeek } from '../../src-shared/briefing/briefing';
import { RollupFormatError } from '../../src-shared/briefing/bytes';
import { estimateDayWeights } from '../../src-shared/briefing/capacity';
import { BriefingDims } from '../../src-shared/briefing/dims';
import { BriefingRollups, CUBE_NAMES, type RollupCase } from '../../src-shared/briefing/rollups';
import {
  cityWeekTotals,
  decodeBriefingSlice,
  encodeBriefingSlice,
  levelTotalsOf,
  rollupScopeOf,
  scopeSlice,
} from '../../src-shared/briefing/slice';
import { weekOfMs } from '../../src-shared/briefing/weeks';
import { HOUR_MS, MINUTE_MS, shanghaiMs } from '../../src-shared/domain/calendar';
import { createRng } from '../../src-shared/domain/geo';

const DIMS = new BriefingDims({
  city: { code: '4419', name: '东莞市' },
  towns: [
    { code: '441900003', name: '东城街道' },
    { code: '441900106', name: '横沥镇' },
  ],
  villages: [
    { code: '441900003001', name: '岗贝社区', town: 0 },
    { code: '441900003002', name: '花园新村社区', town: 0 },
    { code: '441900106001', name: '田坑村', town: 1 },
    { code: '441900106002', name: '村尾村', town: 1 },
  ],
  majors: [
    { code: '01', nameZh: '消防安全', nameEn: 'Fire safety' },
    { code: '08', nameZh: '市容环境', nameEn: 'City appearance' },
  ],
  minors: [
    { code: '01001', major: 0, nameZh: '消防通道堵塞', nameEn: 'Blocked fire lane', department: 0 },
    { code: '08001', major: 1, nameZh: '暴露垃圾', nameEn: 'Exposed rubbish', department: 1 },
  ],
  departments: [
    { code: 'fire', nameZh: '消防救援支队', nameEn: 'Fire brigade' },
    { code: 'city', nameZh: '城市管理局', nameEn: 'City management' },
  ],
});

const T0 = shanghaiMs(2025, 3, 3);
const AS_OF = shanghaiMs(2025, 6, 4, 12);

function cases(n: number, seed: string): RollupCase[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const reportedAt = T0 + Math.floor(rng.next() * (AS_OF - T0 - HOUR_MS));
    const dispatched = rng.next() < 0.8;
    const dispatchedAt = dispatched ? reportedAt + (5 + rng.int(120)) * MINUTE_MS : null;
    const dueAt = dispatchedAt === null ? null : dispatchedAt + 48 * HOUR_MS;
    const closed = dispatchedAt !== null && rng.next() < 0.85;
    return {
      reportedAt,
      category: rng.int(DIMS.nMinors),
      village: rng.int(DIMS.nVillages),
      source: rng.int(DIMS.nSources),
      priority: rng.int(3),
      registeredAt: reportedAt + MINUTE_MS,
      dispatchedAt,
      dueAt,
      closedAt: closed ? dispatchedAt + rng.int(96) * HOUR_MS : null,
      voidedAt: null,
      reworkCount: rng.next() < 0.1 ? 1 : 0,
      department: dispatched ? rng.int(2) : -1,
    };
  });
}

function build(list: readonly RollupCase[]): BriefingRollups {
  const r = new BriefingRollups(DIMS, { asOfMs: AS_OF, coverageStartMs: T0 });
  for (const c of list) r.addCase(c);
  return r;
}

/** Every cube's non-zero cells as `cube:week:cell=value` (catSource optionally left out). */
function cells(r: BriefingRollups, skip: string[] = []): string[] {
  const out: string[] = [];
  for (const name of CUBE_NAMES) {
    if (skip.includes(name)) continue;
    const cube = r[name];
    const range = cube.weekRange();
    if (!range) continue;
    for (let w = range.first; w <= range.last; w++)
      cube.forEachInWeek(w, (cell, v) => out.push(`${name}:${w}:${cell}=${v}`));
  }
  return out.sort();
}

describe('briefing scope slices', () => {
  const all = cases(4_000, 'slice');
  const whole = build(all);

  it('a town slice is the rollups of its villages’ cases; a village slice drops per-town sources', () => {
    const town = rollupScopeOf(whole, '441900106')!;
    const townOnly = build(all.filter((c) => DIMS.villageTown[c.village] === 1));
    expect(cells(scopeSlice(whole, town))).toEqual(cells(townOnly));

    const village = rollupScopeOf(whole, '441900003002')!;
    const villageCases = all.filter((c) => c.village === 1);
    const slice = scopeSlice(whole, village);
    expect(cells(slice, ['catSource'])).toEqual(cells(build(villageCases), ['catSource']));
    expect(slice.catSource.weekRange()).toBeNull();
    // A grid seat (15 digits) gets its village; an unknown code nothing.
    expect(rollupScopeOf(whole, '441900003002007')?.code).toBe('441900003002');
    expect(rollupScopeOf(whole, '441999')).toBeNull();
    expect(scopeSlice(whole, rollupScopeOf(whole, '4419')!)).toBe(whole);
  });

  it('round-trips through the wire format; damaged bytes are refused', () => {
    const town = rollupScopeOf(whole, '441900003')!;
    const header = {
      scopeCode: town.code,
      cityWeekTotals: cityWeekTotals(whole),
      dayWeights: estimateDayWeights(whole),
    };
    const bytes = encodeBriefingSlice({ header, rollups: scopeSlice(whole, town) });
    const back = decodeBriefingSlice(bytes);
    expect(back.header).toEqual(header);
    expect(cells(back.rollups)).toEqual(cells(scopeSlice(whole, town)));
    expect(back.rollups.asOfMs).toBe(AS_OF);
    const bad = bytes.slice();
    bad[0] = 0x58;
    expect(() => decodeBriefingSlice(bad)).toThrow(RollupFormatError);
    expect(() => decodeBriefingSlice(bytes.subarray(0, bytes.length - 7))).toThrow(RollupFormatError);
  });

  it('with the city’s weekly totals and day weights a town slice gives the whole rollups’ town briefing', () => {
    const town = rollupScopeOf(whole, '441900106')!;
    const header = {
      scopeCode: town.code,
      cityWeekTotals: cityWeekTotals(whole),
      dayWeights: estimateDayWeights(whole),
    };
    const slice = decodeBriefingSlice(encodeBriefingSlice({ header, rollups: scopeSlice(whole, town) }));
    const week = weekOfMs(AS_OF) - 1;
    const fromWhole = analyseWeek(whole, { scope: town.code, week });
    const fromSlice = analyseWeek(slice.rollups, {
      scope: town.code,
      week,
      dayWeights: slice.header.dayWeights,
      levelTotals: levelTotalsOf(slice.header),
    });
    expect(fromSlice.totals).toEqual(fromWhole.totals);
    expect(fromSlice.trendFactor).toBe(fromWhole.trendFactor);
    expect(fromSlice.rising).toEqual(fromWhole.rising);
    expect(fromSlice.rates).toEqual(fromWhole.rates);
    expect(fromSlice.callIn).toEqual(fromWhole.callIn);
    expect(fromSlice.heat).toEqual(fromWhole.heat);
    // Without the city's totals the trend would be fitted on the town alone.
    const sum = cityWeekTotals(whole).reduce((s, [, n]) => s + n, 0);
    expect(sum).toBe(all.length);
  });
});
