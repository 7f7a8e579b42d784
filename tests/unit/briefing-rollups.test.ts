import { describe, expect, it } from 'vitest';
import type { CasesTable } from '../../src-shared/dataset/cases';
import { allocCases, NO_DEPARTMENT } from '../../src-shared/dataset/cases';
import type { MinorCategory } from '../../src-shared/dataset/types';
import { BriefingDims } from '../../src-shared/briefing/dims';
import {
  gridVillages,
  historyRowAsCase,
  ingestHistory,
  rollupCaseFromCase,
  type HistoryGrid,
} from '../../src-shared/briefing/ingest';
import { BriefingRollups, CUBE_NAMES, type RollupCase } from '../../src-shared/briefing/rollups';
import { RollupFormatError } from '../../src-shared/briefing/bytes';
import { weekEndMs, weekOfMs, weekStartMs } from '../../src-shared/briefing/weeks';
import { DAY_MS, HOUR_MS, MINUTE_MS, defaultCalendar, shanghaiMs } from '../../src-shared/domain/calendar';
import { CASE_SOURCES, PRIORITIES } from '../../src-shared/domain/case-model';
import { countsForPeriod, type EvaluationCase } from '../../src-shared/domain/evaluation';
import { createRng, type Rng } from '../../src-shared/domain/geo';
import type { Case } from '../../src-shared/protocol/entities';

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
    { code: '01002', major: 0, nameZh: '电动车违规充电', nameEn: 'Illegal e-bike charging', department: 0 },
    { code: '08001', major: 1, nameZh: '暴露垃圾', nameEn: 'Exposed rubbish', department: 1 },
  ],
  departments: [
    { code: 'fire', nameZh: '消防救援支队', nameEn: 'Fire brigade' },
    { code: 'city', nameZh: '城市管理局', nameEn: 'City management' },
  ],
});

const T0 = shanghaiMs(2025, 3, 3); // Monday
const AS_OF = shanghaiMs(2025, 5, 21, 12); // a Wednesday noon: the last week is partial
const T_END = shanghaiMs(2025, 5, 26);

/** A random case whose facts are consistent (times in order) and span every kind of life cycle. */
function randomCase(rng: Rng, span = T_END - T0): RollupCase {
  const reportedAt = T0 + Math.floor(rng.next() * span);
  const priority = rng.int(3);
  const source = rng.int(CASE_SOURCES.length);
  const base: RollupCase = {
    reportedAt,
    category: rng.int(DIMS.nMinors),
    village: rng.int(DIMS.nVillages),
    source,
    priority,
    registeredAt: reportedAt + rng.int(20) * MINUTE_MS,
    dispatchedAt: null,
    dueAt: null,
    closedAt: null,
    voidedAt: null,
    reworkCount: rng.next() < 0.1 ? 1 + rng.int(2) : 0,
    department: -1,
  };
  const kind = rng.next();
  if (kind < 0.05)
    return { ...base, registeredAt: null, voidedAt: reportedAt + rng.int(60) * MINUTE_MS, reworkCount: 0 };
  if (kind < 0.45) return { ...base, closedAt: reportedAt, reworkCount: 0 }; // self-handled
  const dispatchedAt = reportedAt + (5 + rng.int(120)) * MINUTE_MS;
  const dueAt = dispatchedAt + (1 + rng.int(240)) * HOUR_MS;
  const r = rng.next();
  const closedAt =
    r < 0.2
      ? null
      : r < 0.8
        ? dispatchedAt + Math.floor(rng.next() * (dueAt - dispatchedAt))
        : dueAt + rng.int(30) * DAY_MS;
  const voidedAt = closedAt === null && rng.next() < 0.1 ? dueAt + rng.int(20) * DAY_MS : null;
  return { ...base, dispatchedAt, dueAt, closedAt, voidedAt, department: rng.int(3) - 1 };
}

function asEvaluationCase(r: RollupCase): EvaluationCase {
  return {
    reportedAt: r.reportedAt,
    priority: PRIORITIES[r.priority],
    source: CASE_SOURCES[r.source],
    registeredAt: r.registeredAt,
    dispatchedAt: r.dispatchedAt,
    dueAt: r.dueAt,
    closedAt: r.closedAt,
    voidedAt: r.voidedAt,
    reworkCount: r.reworkCount,
    selfHandled: r.selfHandled,
  };
}

function build(cases: readonly RollupCase[], asOf = AS_OF): BriefingRollups {
  const r = new BriefingRollups(DIMS, { asOfMs: asOf, coverageStartMs: T0 });
  for (const c of cases) r.addCase(c);
  return r;
}

const WEEKS = { first: weekOfMs(T0) - 1, last: weekOfMs(T_END) + 2 };

describe('BriefingRollups: the rate counts', () => {
  const rng = createRng('rollups');
  const cases = Array.from({ length: 4000 }, () => randomCase(rng));
  const rollups = build(cases);

  // Weeks after asOf have no figures in the rollups; evaluation.ts would report the current
  // backlog for them (its cut-off is "now"), so the comparison stops at asOf's (partial) week.
  it('equal evaluation.ts countsForPeriod for every week and village up to asOf (partial last week, backlog apart)', () => {
    let checked = 0;
    let backlog = 0;
    for (let w = WEEKS.first; w <= weekOfMs(AS_OF); w++) {
      const got = rollups.evaluationCounts(w, DIMS.nVillages, (v) => v);
      for (let v = 0; v < DIMS.nVillages; v++) {
        const want = countsForPeriod(
          cases.filter((c) => c.village === v).map(asEvaluationCase),
          weekStartMs(w),
          weekEndMs(w),
          AS_OF,
        );
        expect(got[v], `week ${w} village ${v}`).toEqual(want);
        checked += want.dueForClosure;
        backlog += want.backlog;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(backlog).toBeGreaterThan(100); // open cases past their deadline in later weeks
    expect(checked).toBeLessThanOrEqual(cases.length); // each case due once
  });

  it('group by department: dispatched cases under their department, reports only under "none"', () => {
    const w = weekOfMs(shanghaiMs(2025, 4, 10));
    const [byDept] = [rollups.evaluationCounts(w, DIMS.nDeptSlots, (_v, slot) => slot)];
    const want = countsForPeriod(
      cases.filter((c) => c.department === 0).map(asEvaluationCase),
      weekStartMs(w),
      weekEndMs(w),
      AS_OF,
    );
    expect(byDept[0]).toEqual({
      ...want,
      reported: 0,
      registered: 0,
      publicFirst: 0,
      selfHandled: 0,
      verified: 0,
      verifiedOnTime: 0,
    });
    expect(byDept[DIMS.noDeptSlot].reported).toBe(
      cases.filter((c) => c.reportedAt >= weekStartMs(w) && c.reportedAt < weekEndMs(w)).length,
    );
  });

  it('count each not-voided case once in catVillage, heat and catSource, in its report week', () => {
    const live = cases.filter((c) => c.reportedAt < AS_OF && !(c.voidedAt !== null && c.voidedAt < AS_OF));
    for (const name of ['catVillage', 'heat', 'catSource'] as const) {
      let total = 0;
      for (let w = WEEKS.first; w <= WEEKS.last; w++) total += rollups[name].weekTotal(w);
      expect(total, name).toBe(live.length);
    }
    const w = weekOfMs(shanghaiMs(2025, 4, 2));
    const inWeek = live.filter((c) => weekOfMs(c.reportedAt) === w && c.category === 2 && c.village === 3);
    expect(rollups.catVillage.get(w, 2 * DIMS.nVillages + 3)).toBe(inWeek.length);
  });

  it('removeCase takes back exactly what addCase added', () => {
    const r = build(cases);
    for (const c of cases.slice(0, 3000)) r.removeCase(c);
    const rest = build(cases.slice(3000));
    expect(r.toBytes()).toEqual(rest.toBytes());
    for (const c of cases.slice(3000)) r.removeCase(c);
    for (const name of CUBE_NAMES) expect(r[name].stats().nonZero, name).toBe(0);
    expect(() => r.removeCase(cases[0])).toThrow(RangeError);
  });

  it('merge of two halves equals the whole, and the bytes round-trip', () => {
    const a = build(cases.slice(0, 1700));
    const b = build(cases.slice(1700));
    a.merge(b);
    expect(a.toBytes()).toEqual(rollups.toBytes());
    const bytes = rollups.toBytes();
    const back = BriefingRollups.fromBytes(bytes);
    expect(back.toBytes()).toEqual(bytes);
    expect(back.asOfMs).toBe(AS_OF);
    expect(back.dims.key()).toBe(DIMS.key());
    const w = weekOfMs(shanghaiMs(2025, 5, 1));
    expect(back.evaluationCounts(w, 4, (v) => v)).toEqual(rollups.evaluationCounts(w, 4, (v) => v));
    expect(() => BriefingRollups.fromBytes(bytes.subarray(0, bytes.length - 3))).toThrow(RollupFormatError);
    expect(() => BriefingRollups.fromBytes(new TextEncoder().encode('nope'))).toThrow(RollupFormatError);
    expect(() => a.merge(build([], AS_OF + 1))).toThrow(/different instants/);
  });

  it('advanceAsOf re-adds the unsettled cases and lands where a build at the new instant does', () => {
    const later = shanghaiMs(2025, 6, 20);
    const r = build(cases);
    // settled: every fact before the old asOf and the case ended (closed or voided) by then
    const settled = (c: RollupCase) => {
      const end = c.closedAt ?? c.voidedAt;
      return end !== null && end < AS_OF && c.reportedAt < AS_OF;
    };
    const moving = cases.filter((c) => !settled(c));
    r.advanceAsOf(later, moving, moving);
    expect(r.toBytes()).toEqual(build(cases, later).toBytes());
    expect(() => r.advanceAsOf(AS_OF, [], [])).toThrow(RangeError);
  });

  it('reports storage figures', () => {
    const s = rollups.stats();
    expect(s.bytes).toBeGreaterThan(0);
    expect(Object.keys(s.cubes)).toEqual([...CUBE_NAMES]);
  });
});

describe('ingestHistory', () => {
  const grids: HistoryGrid[] = DIMS.data.villages.flatMap((v, i) =>
    [1, 2].map((k) => ({
      code: `${v.code}00${k}`,
      villageCode: v.code,
      townCode: DIMS.data.towns[v.town].code,
      index: i,
    })),
  );
  const minors: Array<
    Pick<MinorCategory, 'code' | 'majorCode' | 'nameZh' | 'nameEn' | 'departmentCode' | 'timeLimit'>
  > = [
    {
      code: '01001',
      majorCode: '01',
      nameZh: '消防通道堵塞',
      nameEn: 'x',
      departmentCode: 'fire',
      timeLimit: { unit: 'hours', value: 4 },
    },
    {
      code: '01002',
      majorCode: '01',
      nameZh: '电动车违规充电',
      nameEn: 'y',
      departmentCode: 'fire',
      timeLimit: { unit: 'working_hours', value: 8 },
    },
    {
      code: '08001',
      majorCode: '08',
      nameZh: '暴露垃圾',
      nameEn: 'z',
      departmentCode: 'city',
      timeLimit: { unit: 'working_days', value: 2 },
    },
  ];
  const catalog = { majors: DIMS.data.majors.map((m) => ({ ...m })), minors };
  const departments = DIMS.data.departments;
  const refMinute = (shanghaiMs(2025, 6, 1) / MINUTE_MS) | 0;
  const history = { firstDay: '2025-03-01', referenceMinute: refMinute };
  const region = { code: '4419', name: '东莞市' };

  /** A table following src-shared/dataset/cases.ts's life-cycle rules. */
  function table(n: number): CasesTable {
    const rng = createRng('history-table');
    const t = allocCases(n);
    const start = shanghaiMs(2025, 3, 1) / MINUTE_MS;
    const times = Array.from({ length: n }, () => start + rng.int(refMinute - start)).sort((a, b) => a - b);
    for (let i = 0; i < n; i++) {
      const rep = times[i];
      const c = rng.int(3);
      t.reportedAt[i] = rep;
      t.category[i] = c;
      t.grid[i] = rng.int(grids.length);
      t.source[i] = rng.int(CASE_SOURCES.length);
      t.priority[i] = rng.int(3);
      t.department[i] = NO_DEPARTMENT;
      const k = rng.next();
      if (k < 0.05) {
        t.outcome[i] = 1;
        continue;
      }
      if (k < 0.5) {
        t.selfHandled[i] = 1;
        t.closed[i] = 1;
        t.onTime[i] = 1;
        t.handlingDuration[i] = 10;
        continue;
      }
      t.department[i] = c === 2 ? 1 : 0;
      t.rework[i] = rng.next() < 0.1 ? 1 : 0;
      const delay = 3 + rng.int(90);
      if (rep + delay >= refMinute) {
        t.dispatchDelay[i] = refMinute - rep;
        continue;
      }
      t.dispatchDelay[i] = delay;
      const dur = rng.int(7 * 1440);
      if (rng.next() < 0.1 || rep + delay + dur > refMinute) {
        t.handlingDuration[i] = refMinute - rep - delay;
      } else {
        t.closed[i] = 1;
        t.handlingDuration[i] = dur;
        t.onTime[i] = dur < 600 ? 1 : 0;
      }
    }
    return t;
  }

  const t = table(20_000);
  const bulk = ingestHistory(t, grids, catalog, departments, { history, region });

  it('builds the same rollups as adding the rows one at a time', () => {
    const one = new BriefingRollups(bulk.dims, {
      asOfMs: bulk.asOfMs,
      coverageStartMs: bulk.coverageStartMs,
    });
    const gv = gridVillages(bulk.dims, grids);
    for (let i = 0; i < t.rowCount; i++)
      one.addCase(historyRowAsCase(t, i, gv, catalog, refMinute * MINUTE_MS, defaultCalendar()));
    expect(one.toBytes()).toEqual(bulk.toBytes());
    expect(bulk.coverageStartMs).toBe(shanghaiMs(2025, 3, 1));
    expect(bulk.asOfMs).toBe(refMinute * MINUTE_MS);
  });

  it('slices of rows merge into the whole (parallel ingest)', () => {
    const part = (from: number, to: number) =>
      ingestHistory(t, grids, catalog, departments, { history, region, dims: bulk.dims, rows: { from, to } });
    const a = part(0, 7000);
    a.merge(part(7000, 13_000));
    a.merge(part(13_000, t.rowCount));
    expect(a.toBytes()).toEqual(bulk.toBytes());
  });

  it('takes dimension names from divisions and refuses grids outside them', () => {
    const named = ingestHistory(t, grids, catalog, departments, {
      history,
      region,
      divisions: {
        towns: [],
        villages: [{ code: '441900003001', shortName: '岗贝', name: '岗贝社区居民委员会' }] as never,
      },
    });
    expect(named.dims.data.villages[0].name).toBe('岗贝');
    expect(named.dims.data.villages[1].name).toBe('441900003002');
    expect(() =>
      ingestHistory(
        t,
        [{ code: '441900999001001', villageCode: '441900999001', townCode: '441900999' }],
        catalog,
        departments,
        {
          history,
          region,
          dims: bulk.dims,
        },
      ),
    ).toThrow(/not in dims/);
  });
});

describe('rollupCaseFromCase', () => {
  it('maps a live protocol Case to dimension indices and its department', () => {
    const c = {
      id: 'C1',
      state: 'closed',
      categoryCode: '08001',
      priority: 'normal',
      source: 'citizen',
      villageCode: '441900106002',
      townCode: '441900106',
      gridCode: '441900106002001',
      selfHandled: false,
      assignee: { kind: 'officer', id: 'OF1' },
      reworkCount: 1,
      reportedAt: T0,
      registeredAt: T0 + 60_000,
      dispatchedAt: T0 + 120_000,
      dueAt: T0 + DAY_MS,
      closedAt: T0 + 2 * DAY_MS,
      voidedAt: null,
    } as unknown as Case;
    const r = rollupCaseFromCase(c, DIMS);
    expect(r).toMatchObject({
      category: 2,
      village: 3,
      source: 1,
      priority: 2,
      department: 1,
      reworkCount: 1,
    });
    expect(rollupCaseFromCase({ ...c, villageCode: '441900999001' }, DIMS)).toBeNull();
    const roll = build([r!]);
    const counts = roll.evaluationCounts(weekOfMs(T0), 1, () => 0)[0];
    expect(counts).toMatchObject({
      reported: 1,
      registered: 1,
      publicFirst: 1,
      dispatched: 1,
      closed: 1,
      closedOnTime: 0,
    });
  });

  it('judges on time at the handler feedback, not at the close after the check', () => {
    const c = {
      id: 'C2',
      state: 'closed',
      categoryCode: '08001',
      priority: 'normal',
      source: 'citizen',
      villageCode: '441900106002',
      townCode: '441900106',
      gridCode: '441900106002001',
      selfHandled: false,
      assignee: { kind: 'officer', id: 'OF1' },
      reworkCount: 0,
      reportedAt: T0,
      registeredAt: T0 + 60_000,
      dispatchedAt: T0 + 120_000,
      dueAt: T0 + DAY_MS,
      // fed back an hour before the deadline, checked and closed the next morning
      feedbackAt: T0 + DAY_MS - 3_600_000,
      closedAt: T0 + DAY_MS + 12 * 3_600_000,
      voidedAt: null,
    } as unknown as Case;
    const onTime = rollupCaseFromCase(c, DIMS)!;
    expect(onTime.closedOnTime).toBe(true);
    expect(build([onTime]).evaluationCounts(weekOfMs(T0), 1, () => 0)[0]).toMatchObject({
      closed: 1,
      closedOnTime: 1,
    });
    // fed back after the deadline: late, whenever it was closed
    const late = rollupCaseFromCase({ ...c, feedbackAt: T0 + DAY_MS + 60_000 }, DIMS)!;
    expect(late.closedOnTime).toBe(false);
  });
});
