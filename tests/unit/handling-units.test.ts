// Handling units, the 权责清单 and joint handling 联合执法 (issue 17 §3), worked by hand through
// the command path the server and the console outbox share (case-commands.ts). The area: town
// 441900106 with villages 001 (the case's) and 002; 23 Nov 2026 is an ordinary Monday.
import { describe, expect, it } from 'vitest';
import { defaultCalendar, shanghaiMs } from '../../src-shared/domain/calendar';
import { evaluateCommand, type CommandActor, type CommandEnv } from '../../src-shared/domain/case-commands';
import {
  dispatchUnits,
  handlingRuleOf,
  handlingUnitsOf,
  levelAllows,
  unitTargetProblem,
} from '../../src-shared/domain/handling-units';
import { handlingDueAt, accurateDispatchRate } from '../../src-shared/domain/work-rules';
import { dueAt } from '../../src-shared/domain/deadline';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case, Department } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { canSeeCase, canSeeUnit, type Viewer } from '../../src-server/auth/visibility';
import { rankUnits } from '../../src-shared/desk/recommend';

const calendar = defaultCalendar();
const at = (hour: number, minute = 0): number => shanghaiMs(2026, 11, 23, hour, minute);
const TOWN = '441900106';
const V1 = '441900106001';
const V2 = '441900106002';
const GRID = { gridCode: `${V1}003`, villageCode: V1, townCode: TOWN };

const UNITS: Department[] = [
  { code: 'urban', name: '东莞市城市管理和综合执法局', nameEn: 'Urban Management Bureau' },
  { code: 'rental', name: '东莞市出租屋管理办公室', nameEn: 'Rental Housing Office' },
  { code: 'fire', name: '东莞市消防救援支队', nameEn: 'Fire and Rescue Detachment' },
  ...handlingUnitsOf(
    [{ code: TOWN, name: '长安镇' }],
    [
      { code: V1, name: '乌沙社区居民委员会', shortName: '乌沙社区' },
      { code: V2, name: '沙头社区居民委员会', shortName: '沙头社区' },
    ],
  ),
];
const unit = new Map(UNITS.map((u) => [u.code, u]));

const env = (now: number): CommandEnv => ({
  now,
  locate: () => GRID,
  category: (code) => ({ code, defaultPriority: 'normal', closingStandard: '已整改' }),
  department: (code) => unit.get(code),
  dueOf: (c) => handlingDueAt(c, { unit: 'working_days', value: 2 }, calendar),
  workingMsBetween: (a, b) => calendar.workingMsBetween(a, b),
  dueFrom: (startMs, limit) => dueAt({ startMs, limit, suspensions: [] }, calendar)!,
  areaName: '东莞市',
});

const TOWN_SEAT: CommandActor = { id: 'U-t', role: 'dispatcher', scopeCode: TOWN };
const V1_SEAT: CommandActor = { id: 'U-v1', role: 'village_operator', scopeCode: V1 };
const V2_SEAT: CommandActor = { id: 'U-v2', role: 'village_operator', scopeCode: V2 };
const CHECKER: CommandActor = { id: 'U-c', role: 'checker', scopeCode: TOWN };
const handler = (unitCode: string): CommandActor => ({
  id: `H-${unitCode}`,
  role: 'handler',
  scopeCode: TOWN,
  departmentId: unitCode,
});
const ZF = `t${TOWN}zf`; // 长安镇综合行政执法办
const ZJ = `t${TOWN}zj`; // 长安镇住建办
const C1 = `v${V1}`; // 乌沙社区居民委员会
const C2 = `v${V2}`; // 沙头社区居民委员会
const PHOTO = 'cd'.repeat(32);

function run(current: Case | null, type: Command['type'], payload: object, who: CommandActor, now: number) {
  const command = {
    commandId: uuidv7(now),
    clientId: 'c',
    type,
    payload: { caseId: 'C1', ...payload },
    baseVersion: current?.version ?? null,
    clientTime: 0,
  } as Command;
  return evaluateCommand(current, command, who, env(now));
}

function step(current: Case | null, type: Command['type'], payload: object, who: CommandActor, now: number) {
  const r = run(current, type, payload, who, now);
  if (!r.ok || r.noop) throw new Error(`${type}: ${JSON.stringify(r)}`);
  return r.next;
}

/** A registered case of category `code` in village 1, reported by a grid officer. */
function registered(code: string): Case {
  const officer: CommandActor = { id: 'OF1', role: 'officer', scopeCode: GRID.gridCode };
  const reported = step(
    null,
    'report',
    {
      categoryCode: code,
      source: 'patrol',
      description: '巡查发现',
      address: '乌沙社区',
      lon: 113.8,
      lat: 22.8,
      photos: [],
    },
    officer,
    at(9),
  );
  return step(reported, 'verify', {}, TOWN_SEAT, at(9, 10));
}

const toUnit = (id: string) => ({ assignee: { kind: 'department', id } });

describe('the units of a division tree', () => {
  it('gives each town four departments and each village its committee, with their jurisdiction', () => {
    expect(UNITS.filter((u) => u.level === 'town').map((u) => [u.code, u.name, u.scopeCode])).toEqual([
      [`t${TOWN}sj`, '长安镇市场监管分局', TOWN],
      [`t${TOWN}yj`, '长安镇应急管理办（安监办）', TOWN],
      [ZF, '长安镇综合行政执法办', TOWN],
      [ZJ, '长安镇住建办', TOWN],
    ]);
    expect(unit.get(C1)).toMatchObject({ name: '乌沙社区居民委员会', level: 'village', scopeCode: V1 });
  });
});

describe('权责清单: the level of a category', () => {
  it('puts rental registration with the village, street trading with the town, public order with the city', () => {
    expect(handlingRuleOf('05001')).toEqual({ level: 'village', townUnit: 'zf' }); // 出租屋未登记
    expect(handlingRuleOf('09001')).toEqual({ level: 'town', townUnit: 'zf' }); // 占道经营
    expect(handlingRuleOf('05004')).toEqual({ level: 'town', townUnit: 'zj' }); // 群租隔断 (minor rule)
    expect(handlingRuleOf('04001').level).toBe('city'); // 可疑人员
    expect(handlingRuleOf('01008').level).toBe('city'); // 火情: the fire brigade, not the town
  });

  it('allows a unit of the level or above, never below', () => {
    expect(levelAllows('05001', 'village')).toBe(true);
    expect(levelAllows('05001', 'town')).toBe(true);
    expect(levelAllows('05001', 'city')).toBe(true);
    expect(levelAllows('09001', 'village')).toBe(false);
    expect(levelAllows('09001', 'town')).toBe(true);
    expect(levelAllows('04001', 'town')).toBe(false);
  });
});

describe('dispatch to a village committee', () => {
  it('is accepted from the village seat to its own committee for a village-level category', () => {
    const next = step(registered('05001'), 'dispatch', toUnit(C1), V1_SEAT, at(9, 20));
    expect(next).toMatchObject({ state: 'dispatched', assignee: { kind: 'department', id: C1 } });
  });

  it("is refused to another village's committee: outside the village seat, and not the case's village for the town", () => {
    const c = registered('05001');
    const fromVillage = run(c, 'dispatch', toUnit(C2), V1_SEAT, at(9, 20));
    expect(fromVillage).toMatchObject({ ok: false, code: 'OUT_OF_SCOPE', rule: 'UNIT_OUT_OF_SCOPE' });
    // the village seat is not told the other committee's name
    if (!fromVillage.ok) expect(fromVillage.reason).not.toContain('沙头');
    const fromTown = run(c, 'dispatch', toUnit(C2), TOWN_SEAT, at(9, 20));
    expect(fromTown).toMatchObject({ ok: false, code: 'OUT_OF_SCOPE', rule: 'UNIT_NOT_LOCAL' });
  });

  it("is refused from another village's seat: the case and the committee are outside its jurisdiction", () => {
    const r = run(registered('05001'), 'dispatch', toUnit(C1), V2_SEAT, at(9, 20));
    expect(r).toMatchObject({ ok: false, code: 'OUT_OF_SCOPE' });
  });

  it('is refused for a category whose level is town (占道经营 09001), with the clear code', () => {
    const r = run(registered('09001'), 'dispatch', toUnit(C1), TOWN_SEAT, at(9, 20));
    expect(r).toMatchObject({ ok: false, code: 'WRONG_HANDLING_LEVEL', rule: 'WRONG_HANDLING_LEVEL' });
    if (!r.ok) expect(r.reason).toContain('town level');
    // … which the town's enforcement office takes
    expect(step(registered('09001'), 'dispatch', toUnit(ZF), TOWN_SEAT, at(9, 20)).assignee).toEqual({
      kind: 'department',
      id: ZF,
    });
  });

  it('is refused to a town department from a village seat (escalate instead)', () => {
    const r = run(registered('05001'), 'dispatch', toUnit(ZF), V1_SEAT, at(9, 20));
    expect(r).toMatchObject({ ok: false, code: 'OUT_OF_SCOPE', rule: 'UNIT_OUT_OF_SCOPE' });
  });

  it('leaves city bureaus open to any category (a bureau is above every level)', () => {
    expect(run(registered('05001'), 'dispatch', toUnit('rental'), V1_SEAT, at(9, 20)).ok).toBe(true);
  });
});

describe('the desk list and its recommendation', () => {
  it('offers, for a village matter at the town seat, the committee first, then the town office the list names', () => {
    const c = { gridCode: GRID.gridCode, categoryCode: '05001' };
    const codes = dispatchUnits(c, UNITS, TOWN, 'rental').map((u) => u.code);
    expect(codes.slice(0, 2)).toEqual([C1, ZF]);
    expect(codes).not.toContain(C2);
    expect(codes.indexOf('rental')).toBeLessThan(codes.indexOf('urban'));
    expect(rankUnits(c, UNITS, TOWN, 'rental', 4)).toEqual([
      {
        code: C1,
        name: '乌沙社区居民委员会',
        nameEn: '乌沙社区 Village (Community) Committee',
        level: 'village',
        named: true,
      },
      {
        code: ZF,
        name: '长安镇综合行政执法办',
        nameEn: '长安镇 Comprehensive Law Enforcement Office',
        level: 'town',
        named: true,
      },
      {
        code: `t${TOWN}sj`,
        name: '长安镇市场监管分局',
        nameEn: '长安镇 Market Supervision Branch',
        level: 'town',
        named: false,
      },
      {
        code: `t${TOWN}yj`,
        name: '长安镇应急管理办（安监办）',
        nameEn: '长安镇 Emergency and Work Safety Office',
        level: 'town',
        named: false,
      },
    ]);
  });

  it('offers a village seat no town department and, for a town matter, only city bureaus', () => {
    const townMatter = dispatchUnits({ gridCode: GRID.gridCode, categoryCode: '09001' }, UNITS, V1, 'urban');
    expect(townMatter.map((u) => u.code)).toEqual(['urban', 'fire', 'rental']);
    expect(
      unitTargetProblem({ gridCode: GRID.gridCode, categoryCode: '09001' }, unit.get(ZF)!, null),
    ).toBeNull();
  });
});

describe('joint handling 联合执法', () => {
  /** 群租隔断 05004 (town level, 住建办) led by the 住建办 with the enforcement office and the committee. */
  function joint(): Case {
    return step(registered('05004'), 'dispatch', { ...toUnit(ZJ), coUnits: [ZF, C1] }, TOWN_SEAT, at(9, 20));
  }

  it('records the lead as assignee and the co-units; the clock is the lead’s', () => {
    const c = joint();
    expect(c).toMatchObject({ assignee: { kind: 'department', id: ZJ }, coUnits: [ZF, C1] });
    // 2 working days from Mon 09:20 → Wed 09:20
    expect(c.dueAt).toBe(shanghaiMs(2026, 11, 25, 9, 20));
  });

  it('lets the lead sign and feed back and refuses the same from a co-unit, saying who leads', () => {
    let c = joint();
    const coSign = run(c, 'signFor', {}, handler(ZF), at(9, 30));
    expect(coSign).toMatchObject({ ok: false, code: 'NOT_ASSIGNEE', rule: 'NOT_LEAD_UNIT' });
    c = step(c, 'signFor', {}, handler(ZJ), at(9, 40));
    expect(c.handlerId).toBe(`H-${ZJ}`);
    const feedback = { result: '隔断已拆除', afterPhotos: [PHOTO] };
    const coFeedback = run(c, 'feedback', feedback, handler(C1), at(15));
    expect(coFeedback).toMatchObject({ ok: false, code: 'NOT_ASSIGNEE', rule: 'NOT_LEAD_UNIT' });
    if (!coFeedback.ok) expect(coFeedback.reason).toContain(ZJ);
    c = step(c, 'feedback', feedback, handler(ZJ), at(15));
    expect(c.state).toBe('feedback');
    // the co-unit may still add its own note to the record
    expect(run(c, 'addNote', { text: '执法办已到场配合' }, handler(ZF), at(15, 5)).ok).toBe(true);
    expect(step(c, 'close', { checklist: ['已整改'] }, CHECKER, at(16)).state).toBe('closed');
  });

  it('counts one assignment for 准确派遣率, however many co-units', () => {
    expect(accurateDispatchRate([joint()])).toEqual({ assignments: 1, returned: 0, rate: 1 });
  });

  it('checks every co-unit like the lead: level, area, and the shape of the dispatch', () => {
    const c = registered('05004');
    expect(run(c, 'dispatch', { ...toUnit(ZJ), coUnits: [C2] }, TOWN_SEAT, at(9, 20))).toMatchObject({
      ok: false,
      rule: 'UNIT_NOT_LOCAL',
    });
    expect(run(c, 'dispatch', { ...toUnit(ZJ), coUnits: [ZJ] }, TOWN_SEAT, at(9, 20))).toMatchObject({
      ok: false,
      rule: 'JOINT_UNITS',
    });
    expect(
      run(c, 'dispatch', { assignee: { kind: 'officer', id: 'OF2' }, coUnits: [ZF] }, TOWN_SEAT, at(9, 20)),
    ).toMatchObject({ ok: false, rule: 'JOINT_UNITS' });
    // The committee may assist a town matter (the lead answers for it), not lead it.
    expect(run(c, 'dispatch', toUnit(C1), TOWN_SEAT, at(9, 20))).toMatchObject({
      ok: false,
      code: 'WRONG_HANDLING_LEVEL',
    });
  });

  it('ends with the lead’s approved return: the co-units go with it', () => {
    let c = joint();
    c = step(c, 'requestReturn', { reason: '非本单位职责' }, handler(ZJ), at(9, 50));
    const leader: CommandActor = { id: 'U-l', role: 'duty_leader', scopeCode: TOWN };
    c = step(c, 'approveRequest', {}, leader, at(10));
    expect(c.state).toBe('returned');
    expect(c.coUnits).toBeUndefined();
  });

  it('shows the case to a co-unit handler and not to another unit’s', () => {
    const c = joint();
    const viewer = (departmentCode: string): Viewer => ({
      userId: `U-H-${departmentCode}`,
      officerId: `H-${departmentCode}`,
      role: 'handler',
      scopeCode: TOWN,
      departmentCode,
    });
    expect(canSeeCase(viewer(C1), c)).toBe(true);
    expect(canSeeCase(viewer(ZF), c)).toBe(true);
    expect(canSeeCase(viewer(C2), c)).toBe(false);
  });
});

describe('who sees a unit (canSeeUnit)', () => {
  const seat = (scopeCode: string): Viewer => ({
    userId: 'U',
    officerId: null,
    role: 'village_operator',
    scopeCode,
    departmentCode: null,
  });
  it('shows a village seat its own committee and its town’s departments, never another village’s committee', () => {
    expect(canSeeUnit(seat(V1), unit.get(C1)!)).toBe(true);
    expect(canSeeUnit(seat(V1), unit.get(ZF)!)).toBe(true);
    expect(canSeeUnit(seat(V1), unit.get(C2)!)).toBe(false);
    expect(canSeeUnit(seat(V1), unit.get('urban')!)).toBe(true);
    expect(canSeeUnit(seat('441900107'), unit.get(ZF)!)).toBe(false);
  });
});
