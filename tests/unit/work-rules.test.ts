// Issue 17's working rules, worked by hand on the real calendar (08:30–12:00, 14:00–18:00
// Asia/Shanghai, 7.5 working hours a day; 23–27 Nov 2026 is an ordinary Monday–Friday week)
// through the very command path the server and the console outbox share.
import { describe, expect, it } from 'vitest';
import { defaultCalendar, shanghaiMs } from '../../src-shared/domain/calendar';
import { evaluateCommand, type CommandActor, type CommandEnv } from '../../src-shared/domain/case-commands';
import {
  accurateDispatchRate,
  closingChecklist,
  handlingDueAt,
  selfHandleRefusal,
  suspendRefusal,
  unconfirmedItems,
} from '../../src-shared/domain/work-rules';
import type { Priority } from '../../src-shared/domain/case-model';
import { dueAt } from '../../src-shared/domain/deadline';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case, TimeLimit } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';

const calendar = defaultCalendar();
const at = (day: number, hour: number, minute = 0): number => shanghaiMs(2026, 11, day, hour, minute);
const GRID = { gridCode: '441900106001003', villageCode: '441900106001', townCode: '441900106' };

const CATEGORIES: Record<
  string,
  { defaultPriority: Priority; timeLimit: TimeLimit; closingStandard: string }
> = {
  // 消防通道堵塞: 4 working hours
  '01001': {
    defaultPriority: 'urgent',
    timeLimit: { unit: 'working_hours', value: 4 },
    closingStandard: '占用物已清理，通道畅通，上传整改前后对比照片',
  },
  // 消防设施损坏: 3 working days
  '01003': {
    defaultPriority: 'normal',
    timeLimit: { unit: 'working_days', value: 3 },
    closingStandard: '设施已更换或修复并检测有效，附检查记录',
  },
  // 燃气瓶违规使用 (gas, urgent)
  '02003': {
    defaultPriority: 'urgent',
    timeLimit: { unit: 'working_hours', value: 8 },
    closingStandard: '已停止违规使用，更换合格气瓶或迁出，附照片',
  },
  // 供水管道破裂 (emergency)
  '15001': {
    defaultPriority: 'emergency',
    timeLimit: { unit: 'hours', value: 2 },
    closingStandard: '已关阀抢修，恢复供水',
  },
};

const env = (now: number): CommandEnv => ({
  now,
  locate: () => GRID,
  category: (code) => {
    const c = CATEGORIES[code];
    return c ? { code, ...c } : undefined;
  },
  dueOf: (c) => {
    const cat = CATEGORIES[c.categoryCode];
    return cat ? handlingDueAt(c, cat.timeLimit, calendar) : null;
  },
  workingMsBetween: (a, b) => calendar.workingMsBetween(a, b),
  dueFrom: (startMs, limit) => dueAt({ startMs, limit, suspensions: [] }, calendar)!,
  areaName: '东莞市',
});

const DISPATCHER: CommandActor = { id: 'U-t', role: 'dispatcher', scopeCode: GRID.townCode };
const LEADER: CommandActor = { id: 'U-l', role: 'duty_leader', scopeCode: GRID.townCode };
const CHECKER: CommandActor = { id: 'U-c', role: 'checker', scopeCode: GRID.townCode };
const OFFICER: CommandActor = { id: 'OF9', role: 'officer', scopeCode: GRID.gridCode };
const FIRE: CommandActor = { id: 'H-fire', role: 'handler', scopeCode: '4419', departmentId: 'fire' };
const URBAN: CommandActor = { id: 'H-urban', role: 'handler', scopeCode: '4419', departmentId: 'urban' };
const PHOTO = 'ab'.repeat(32);

function cmd(
  type: Command['type'],
  payload: Record<string, unknown>,
  baseVersion: number | null = null,
): Command {
  return {
    commandId: uuidv7(at(23, 9)),
    clientId: 'c',
    type,
    payload,
    baseVersion,
    clientTime: 0,
  } as Command;
}

function run(current: Case | null, type: Command['type'], payload: object, who: CommandActor, now: number) {
  return evaluateCommand(
    current,
    cmd(type, { caseId: 'C1', ...payload }, current?.version ?? null),
    who,
    env(now),
  );
}

function step(
  current: Case | null,
  type: Command['type'],
  payload: object,
  who: CommandActor,
  now: number,
): Case {
  const r = run(current, type, payload, who, now);
  if (!r.ok || r.noop) throw new Error(`${type}: ${JSON.stringify(r)}`);
  return r.next;
}

/** A case of `category`, reported at 08:50 and dispatched to the fire department at `dispatchAt`. */
function dispatched(category: string, dispatchAt: number): Case {
  const report = {
    categoryCode: category,
    source: 'hotline',
    description: '群众来电',
    address: '横沥镇某路',
    lon: 113.9,
    lat: 23.0,
    photos: [],
  };
  const reported = step(null, 'report', report, DISPATCHER, dispatchAt - 600_000);
  const verified = step(reported, 'verify', {}, DISPATCHER, dispatchAt - 300_000);
  return step(verified, 'dispatch', { assignee: { kind: 'department', id: 'fire' } }, DISPATCHER, dispatchAt);
}

describe('缓办: a request, approved by the duty leader, pauses the clock only from approval to resume', () => {
  it('4 working hours from Mon 09:00; asked 10:00, approved 10:30, resumed Tue 09:00 → due Tue 11:30', () => {
    const d = dispatched('01001', at(23, 9));
    // 09:00 + 3 h to noon, lunch, + 1 h → 15:00
    expect(d.dueAt).toBe(at(23, 15));
    const signed = step(d, 'signFor', {}, FIRE, at(23, 9, 20));
    const asked = step(signed, 'requestSuspend', { reason: '需产权人到场' }, FIRE, at(23, 10));
    // asking changes nothing on the clock
    expect(asked).toMatchObject({
      state: 'handling',
      dueAt: at(23, 15),
      request: { kind: 'suspend', at: at(23, 10) },
    });
    const approved = step(asked, 'approveRequest', {}, LEADER, at(23, 10, 30));
    expect(approved).toMatchObject({ state: 'suspended', dueAt: null, request: null });
    expect(approved.suspensions).toEqual([{ fromMs: at(23, 10, 30), toMs: null, reason: '需产权人到场' }]);
    // 1.5 working hours used (09:00–10:30, the 30 min of the request included); 2.5 left from Tue 09:00
    const resumed = step(approved, 'resume', {}, FIRE, at(24, 9));
    expect(resumed).toMatchObject({ state: 'handling', dueAt: at(24, 11, 30) });
  });

  it('a refused request leaves the clock where it was', () => {
    const signed = step(dispatched('01001', at(23, 9)), 'signFor', {}, FIRE, at(23, 9, 20));
    const asked = step(signed, 'requestSuspend', { reason: 'x' }, FIRE, at(23, 10));
    const refused = run(asked, 'refuseRequest', { reason: '不符合缓办条件' }, LEADER, at(23, 10, 30));
    expect(refused).toMatchObject({
      ok: true,
      eventType: 'case.request_refused',
      next: { state: 'handling', dueAt: at(23, 15), request: null, suspensions: [] },
      facts: { reason: '不符合缓办条件', request: { kind: 'suspend', byId: 'H-fire' } },
    });
  });

  it('the assignee can no longer suspend its own case', () => {
    const signed = step(dispatched('01001', at(23, 9)), 'signFor', {}, FIRE, at(23, 9, 20));
    expect(run(signed, 'approveRequest', {}, FIRE, at(23, 10))).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const leaderElsewhere: CommandActor = { ...LEADER, scopeCode: '441900107' };
    const asked = step(signed, 'requestSuspend', { reason: 'x' }, FIRE, at(23, 10));
    expect(run(asked, 'approveRequest', {}, leaderElsewhere, at(23, 10))).toMatchObject({
      ok: false,
      code: 'OUT_OF_SCOPE',
    });
  });
});

describe('缓办 is refused for 特急 cases: a burst water main is handled now, not deferred', () => {
  it('the request is refused and changes nothing; 延期 stays open to it', () => {
    // 供水管道破裂 (emergency, 2 natural hours) dispatched Mon 09:00 → due 11:00
    const signed = step(dispatched('15001', at(23, 9)), 'signFor', {}, FIRE, at(23, 9, 10));
    expect(signed.dueAt).toBe(at(23, 11));
    expect(run(signed, 'requestSuspend', { reason: '等待产权单位' }, FIRE, at(23, 9, 30))).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      rule: 'SUSPEND_NOT_ALLOWED',
    });
    const more = step(
      signed,
      'requestExtension',
      { reason: '需停水抢修', extension: { unit: 'hours', value: 2 } },
      FIRE,
      at(23, 9, 30),
    );
    expect(step(more, 'approveRequest', {}, LEADER, at(23, 9, 40)).dueAt).toBe(at(23, 13));
  });

  it('a request made while the case was urgent is not approved once it is 特急', () => {
    const signed = step(dispatched('01001', at(23, 9)), 'signFor', {}, FIRE, at(23, 9, 20));
    const asked = step(signed, 'requestSuspend', { reason: '需产权人到场' }, FIRE, at(23, 10));
    const raised: Case = { ...asked, priority: 'emergency' };
    expect(run(raised, 'approveRequest', {}, LEADER, at(23, 10, 30))).toMatchObject({
      ok: false,
      rule: 'SUSPEND_NOT_ALLOWED',
    });
    expect(run(raised, 'refuseRequest', { reason: '特急不得缓办' }, LEADER, at(23, 10, 30))).toMatchObject({
      ok: true,
      next: { state: 'handling', request: null },
    });
  });

  it('the rule by priority', () => {
    expect(suspendRefusal('emergency')).toContain('特急');
    expect(suspendRefusal('urgent')).toBeNull();
    expect(suspendRefusal('normal')).toBeNull();
  });
});

describe('延期: an approved extension moves the due time on the working calendar', () => {
  it('3 working days from Wed 25 Nov 10:00 → Mon 30 Nov 10:00; +2 working days → Wed 2 Dec 10:00', () => {
    const d = dispatched('01003', at(25, 10));
    expect(d.dueAt).toBe(at(30, 10)); // Thu, Fri, (weekend), Mon
    const asked = step(
      d,
      'requestExtension',
      { reason: '需联合处置', extension: { unit: 'working_days', value: 2 } },
      FIRE,
      at(27, 9),
    );
    expect(asked.dueAt).toBe(at(30, 10));
    const approved = step(asked, 'approveRequest', {}, LEADER, at(27, 11));
    expect(approved.dueAt).toBe(shanghaiMs(2026, 12, 2, 10));
    expect(approved.extensions).toEqual([
      { unit: 'working_days', value: 2, at: at(27, 11), approvedBy: 'U-l', reason: '需联合处置' },
    ]);
  });
});

describe('退单: a return request only within 2 working hours of the dispatch', () => {
  it('Mon 09:00 dispatch: asked at 11:00 (2 h) is allowed, at 14:30 (3.5 h) refused', () => {
    const d = dispatched('01001', at(23, 9));
    expect(run(d, 'requestReturn', { reason: '不属本部门' }, FIRE, at(23, 11)).ok).toBe(true);
    expect(run(d, 'requestReturn', { reason: '不属本部门' }, FIRE, at(23, 14, 30))).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      rule: 'RETURN_WINDOW_PASSED',
    });
  });

  it('Fri 17:00 dispatch: the window runs on working time, so Mon 09:30 (1 h + 1 h) is still in it', () => {
    const d = dispatched('01001', at(27, 17));
    expect(run(d, 'requestReturn', { reason: '不属本部门' }, FIRE, at(30, 9, 30)).ok).toBe(true);
    expect(run(d, 'requestReturn', { reason: '不属本部门' }, FIRE, at(30, 9, 31)).ok).toBe(false);
  });

  it('an approved return counts against 准确派遣率 and the re-dispatch starts a fresh clock', () => {
    const d = dispatched('01001', at(23, 9)); // due 15:00
    const asked = step(d, 'requestReturn', { reason: '不属本部门' }, FIRE, at(23, 10));
    const returned = step(asked, 'approveRequest', {}, LEADER, at(23, 10, 30));
    expect(returned).toMatchObject({ state: 'returned', assignee: null, dueAt: null, returnCount: 1 });
    expect(accurateDispatchRate([returned])).toEqual({ assignments: 1, returned: 1, rate: 0 });
    const again = step(
      returned,
      'dispatch',
      { assignee: { kind: 'department', id: 'urban' } },
      DISPATCHER,
      at(23, 11),
    );
    // 11:00 + 1 h to noon + 3 h from 14:00 → 17:00 (the first handler's used hour is not inherited)
    expect(again).toMatchObject({ dispatchedAt: at(23, 9), clockStartMs: at(23, 11), dueAt: at(23, 17) });
    expect(accurateDispatchRate([again, d])).toEqual({ assignments: 3, returned: 1, rate: 2 / 3 });
    expect(step(again, 'signFor', {}, URBAN, at(23, 11, 10)).state).toBe('handling');
  });
});

describe('前置处理 (self-handling) is refused for gas, hazardous chemicals and emergencies', () => {
  const selfHandle = (categoryCode: string) =>
    run(
      null,
      'selfHandle',
      {
        categoryCode,
        description: '巡查发现',
        address: 'x',
        lon: 113.9,
        lat: 23,
        photos: [PHOTO],
        result: '已劝导整改',
        afterPhotos: [PHOTO],
      },
      OFFICER,
      at(23, 10),
    );

  it('a gas cylinder misuse found on patrol must be reported for dispatch', () => {
    expect(selfHandle('02003')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      rule: 'SELF_HANDLE_NOT_ALLOWED',
    });
    expect(selfHandle('15001')).toMatchObject({ ok: false, rule: 'SELF_HANDLE_NOT_ALLOWED' });
    expect(selfHandle('01001')).toMatchObject({ ok: true, next: { state: 'feedback', selfHandled: true } });
  });

  it('the rule by major class and priority', () => {
    expect(selfHandleRefusal('02001', 'urgent')).toContain('燃气');
    expect(selfHandleRefusal('03004', 'normal')).toContain('危化品');
    expect(selfHandleRefusal('08003', 'emergency')).toContain('emergenc');
    expect(selfHandleRefusal('08003', 'normal')).toBeNull();
  });
});

describe('closing standard: after-photos and the 结案条件 checklist', () => {
  const inFeedbackWithout = (): Case => {
    const signed = step(dispatched('01001', at(23, 9)), 'signFor', {}, FIRE, at(23, 9, 20));
    return { ...signed, state: 'feedback', feedbackAt: at(23, 12), afterPhotos: [] };
  };

  it('the checklist is the standard cut at its commas', () => {
    expect(closingChecklist('占用物已清理，通道畅通，上传整改前后对比照片')).toEqual([
      '占用物已清理',
      '通道畅通',
      '上传整改前后对比照片',
    ]);
    expect(unconfirmedItems('a，b；c', ['a', 'c'])).toEqual(['b']);
  });

  it('feedback without an after-photo is refused', () => {
    const signed = step(dispatched('01001', at(23, 9)), 'signFor', {}, FIRE, at(23, 9, 20));
    expect(run(signed, 'feedback', { result: '已清理', afterPhotos: [] }, FIRE, at(23, 11))).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      rule: 'MISSING_PHOTO',
    });
  });

  it('close is refused without after-photos, and without every checklist item confirmed', () => {
    expect(
      run(
        inFeedbackWithout(),
        'close',
        { checklist: closingChecklist(CATEGORIES['01001'].closingStandard) },
        CHECKER,
        at(23, 15),
      ),
    ).toMatchObject({ ok: false, rule: 'MISSING_PHOTO' });
    const signed = step(dispatched('01001', at(23, 9)), 'signFor', {}, FIRE, at(23, 9, 20));
    const fed = step(signed, 'feedback', { result: '已清理', afterPhotos: [PHOTO] }, FIRE, at(23, 11));
    const partial = run(fed, 'close', { checklist: ['占用物已清理', '通道畅通'] }, CHECKER, at(23, 15));
    expect(partial).toMatchObject({ ok: false, code: 'BAD_REQUEST', rule: 'CHECKLIST_INCOMPLETE' });
    expect(partial.ok ? '' : partial.reason).toContain('上传整改前后对比照片');
    expect(run(fed, 'close', {}, CHECKER, at(23, 15))).toMatchObject({
      ok: false,
      rule: 'CHECKLIST_INCOMPLETE',
    });
    const closed = run(
      fed,
      'close',
      { checklist: ['占用物已清理', '通道畅通', '上传整改前后对比照片'] },
      CHECKER,
      at(23, 15),
    );
    expect(closed).toMatchObject({ ok: true, next: { state: 'closed', closedAt: at(23, 15) } });
  });
});

describe('a category edit after dispatch recomputes the deadline and says so', () => {
  it('01001 (4 working hours, due Mon 15:00) → 01003 (3 working days from Mon 09:00: Thu 09:00)', () => {
    const d = dispatched('01001', at(23, 9));
    const r = run(d, 'editFields', { fields: { categoryCode: '01003' } }, DISPATCHER, at(23, 10));
    expect(r).toMatchObject({
      ok: true,
      eventType: 'case.fields_edited',
      next: { categoryCode: '01003', dueAt: at(26, 9) },
      facts: { dueRecomputed: { from: at(23, 15), to: at(26, 9) } },
    });
  });

  it('before dispatch there is no deadline to recompute', () => {
    const reported = step(
      null,
      'report',
      {
        categoryCode: '01001',
        source: 'hotline',
        description: 'x',
        address: 'x',
        lon: 113.9,
        lat: 23,
        photos: [],
      },
      DISPATCHER,
      at(23, 9),
    );
    const r = run(reported, 'editFields', { fields: { categoryCode: '01003' } }, DISPATCHER, at(23, 10));
    expect(r.ok && r.noop === false ? r.facts.dueRecomputed : 'refused').toBeUndefined();
  });
});
