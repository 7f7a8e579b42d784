// 督办 as an order, worked by hand on the real calendar (08:30–12:00, 14:00–18:00 Asia/Shanghai,
// 7.5 working hours a day; 23–27 Nov 2026 is an ordinary Monday–Friday week), through the command
// path the server and the console outbox share (case-commands.ts → supervision.ts).
import { describe, expect, it } from 'vitest';
import { defaultCalendar, shanghaiMs } from '../../src-shared/domain/calendar';
import { evaluateCommand, type CommandActor, type CommandEnv } from '../../src-shared/domain/case-commands';
import { allowedActions } from '../../src-shared/domain/case-workflow';
import { dueAt } from '../../src-shared/domain/deadline';
import type { Command } from '../../src-shared/protocol/commands';
import { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';

const calendar = defaultCalendar();
const nov = (day: number, hour: number, minute = 0): number => shanghaiMs(2026, 11, day, hour, minute);
const TOWN = '441900106';
const VILLAGE = '441900106001';

const env = (now: number): CommandEnv => ({
  now,
  locate: () => null,
  category: () => undefined,
  dueOf: () => null,
  workingMsBetween: (a, b) => calendar.workingMsBetween(a, b),
  dueFrom: (startMs, limit) => dueAt({ startMs, limit, suspensions: [] }, calendar)!,
  areaName: '东莞市',
});

const TOWN_DISPATCHER: CommandActor = { id: 'U-t', role: 'dispatcher', scopeCode: TOWN };
const TOWN_LEADER: CommandActor = { id: 'U-tl', role: 'duty_leader', scopeCode: TOWN };
const OTHER_TOWN_LEADER: CommandActor = { id: 'U-ol', role: 'duty_leader', scopeCode: '441900107' };
const CITY_DISPATCHER: CommandActor = { id: 'U-c', role: 'dispatcher', scopeCode: '441900' };
const VILLAGE_OP: CommandActor = { id: 'U-v', role: 'village_operator', scopeCode: VILLAGE };
const SYSTEM: CommandActor = { id: 'U-system', role: 'system', scopeCode: '441900' };
const CHECKER: CommandActor = { id: 'U-k', role: 'checker', scopeCode: TOWN };

// A case in hand at a department since Monday 09:00, held by its village.
const HANDLING: Case = Case.parse({
  id: 'C1',
  state: 'handling',
  categoryCode: '01001',
  priority: 'urgent',
  source: 'patrol',
  description: '消防通道堵塞',
  address: '东城街道',
  lon: 113.77,
  lat: 23.03,
  gridCode: `${VILLAGE}003`,
  villageCode: VILLAGE,
  townCode: TOWN,
  holderCode: VILLAGE,
  reporterId: 'OF1',
  assignee: { kind: 'department', id: 'fire' },
  assignedBy: 'U-v',
  assignedAt: nov(23, 9),
  handlerId: 'H-fire',
  selfHandled: false,
  supervised: false,
  reworkCount: 0,
  photos: [],
  afterPhotos: ['ab'.repeat(32)],
  suspensions: [],
  stateBeforeSuspend: null,
  reportedAt: nov(23, 8, 40),
  registeredAt: nov(23, 8, 50),
  dispatchedAt: nov(23, 9),
  dueAt: nov(23, 14, 30),
  feedbackAt: null,
  closedAt: null,
  voidedAt: null,
  version: 5,
});

function run(c: Case, type: Command['type'], payload: object, who: CommandActor, now: number) {
  const command = {
    commandId: uuidv7(now),
    clientId: 'c',
    type,
    payload: { caseId: c.id, ...payload },
    baseVersion: c.version,
    clientTime: now,
  } as Command;
  return evaluateCommand(c, command, who, env(now));
}

function step(c: Case, type: Command['type'], payload: object, who: CommandActor, now: number): Case {
  const r = run(c, type, payload, who, now);
  if (!r.ok || r.noop) throw new Error(`${type}: ${JSON.stringify(r)}`);
  return Case.parse(r.next);
}

function refusedWith(r: ReturnType<typeof run>): string {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r)}`);
  return `${r.code}/${r.rule}`;
}

describe('督办 orders', () => {
  it('a 镇督 lapses at its own deadline and escalates to the city; the 市督 lapses to the city leader', () => {
    // Monday 10:00 the town issues a 镇督 to the village: 4 working hours = 10:00–12:00 + 14:00–16:00.
    const issued = step(HANDLING, 'supervise', { note: '请今日内处置到位' }, TOWN_DISPATCHER, nov(23, 10));
    expect(issued.supervised).toBe(true);
    expect(issued.supervisions).toEqual([
      expect.objectContaining({
        id: 'S1',
        level: 'town',
        issuerCode: TOWN,
        issuedBy: 'U-t',
        targetCode: VILLAGE,
        issuedAt: nov(23, 10),
        dueAt: nov(23, 16),
        status: 'open',
      }),
    ]);
    // 15:00 the town leader sends a 催办.
    const reminded = step(
      issued,
      'remindSupervision',
      { orderId: 'S1', note: '请加快' },
      TOWN_LEADER,
      nov(23, 15),
    );
    expect(reminded.supervisions![0].reminders).toEqual([{ at: nov(23, 15), byId: 'U-tl', note: '请加快' }]);
    // 15:59 is not yet due; only the server lapses an order.
    expect(refusedWith(run(reminded, 'lapseSupervision', { orderId: 'S1' }, SYSTEM, nov(23, 15, 59)))).toBe(
      'INVALID_TRANSITION/SUPERVISION_NOT_DUE',
    );
    expect(refusedWith(run(reminded, 'lapseSupervision', { orderId: 'S1' }, TOWN_LEADER, nov(23, 16)))).toBe(
      'FORBIDDEN/FORBIDDEN',
    );
    // 16:00: S1 lapses and escalates — a 市督 S2 to the town, due one working day (7.5 h) later:
    // Mon 16:00–18:00 (2 h) + Tue 08:30–12:00 (3.5 h) + 14:00–16:00 (2 h) = Tuesday 16:00.
    const lapsed = step(reminded, 'lapseSupervision', { orderId: 'S1' }, SYSTEM, nov(23, 16));
    const [s1, s2] = lapsed.supervisions!;
    expect(s1).toMatchObject({
      status: 'lapsed',
      lapsedAt: nov(23, 16),
      escalatedTo: 'city',
      escalatedOrderId: 'S2',
    });
    expect(s2).toMatchObject({
      id: 'S2',
      level: 'city',
      issuedBy: 'U-system',
      issuerCode: '441900',
      targetCode: TOWN,
      fromOrderId: 'S1',
      issuedAt: nov(23, 16),
      dueAt: nov(24, 16),
      status: 'open',
    });
    // A repeat of the lapse changes nothing.
    expect(run(lapsed, 'lapseSupervision', { orderId: 'S1' }, SYSTEM, nov(23, 16, 1))).toEqual({
      ok: true,
      noop: true,
    });
    // Tuesday 16:00 the 市督 lapses too: flagged to the city leader, no further order.
    const flagged = step(lapsed, 'lapseSupervision', { orderId: 'S2' }, SYSTEM, nov(24, 16));
    expect(flagged.supervisions).toHaveLength(2);
    expect(flagged.supervisions![1]).toMatchObject({
      status: 'lapsed',
      escalatedTo: 'city_leader',
      escalatedOrderId: null,
    });
    // The village still answers its 镇督, late; the town answers the 市督.
    const answered = step(
      flagged,
      'answerSupervision',
      { orderId: 'S1', text: '已清理' },
      VILLAGE_OP,
      nov(24, 17),
    );
    expect(answered.supervisions![0]).toMatchObject({
      status: 'answered',
      answer: { at: nov(24, 17), byId: 'U-v', text: '已清理' },
    });
    expect(
      refusedWith(run(answered, 'answerSupervision', { orderId: 'S2', text: 'x' }, VILLAGE_OP, nov(24, 17))),
    ).toBe('OUT_OF_SCOPE/OUT_OF_SCOPE');
    expect(
      step(answered, 'answerSupervision', { orderId: 'S2', text: '已督促' }, TOWN_LEADER, nov(24, 17))
        .supervisions![1].status,
    ).toBe('answered');
  });

  it('an order answered in time never lapses', () => {
    const issued = step(HANDLING, 'supervise', { note: '督办' }, TOWN_LEADER, nov(27, 17)); // Friday 17:00
    // Fri 17:00–18:00 (1 h) + Mon 30 Nov 08:30–11:30 (3 h) → due Monday 11:30.
    expect(issued.supervisions![0].dueAt).toBe(nov(30, 11, 30));
    const answered = step(
      issued,
      'answerSupervision',
      { orderId: 'S1', text: '已处置' },
      VILLAGE_OP,
      nov(30, 9),
    );
    expect(run(answered, 'lapseSupervision', { orderId: 'S1' }, SYSTEM, nov(30, 12))).toEqual({
      ok: true,
      noop: true,
    });
  });

  it('one open order per level; the city may add a 市督 over an open 镇督; villages do not issue', () => {
    const s1 = step(HANDLING, 'supervise', { note: '镇督' }, TOWN_DISPATCHER, nov(23, 10));
    expect(run(s1, 'supervise', { note: '再督' }, TOWN_LEADER, nov(23, 11))).toEqual({
      ok: true,
      noop: true,
    });
    expect(allowedActions(s1, TOWN_LEADER)).not.toContain('supervise');
    expect(allowedActions(s1, CITY_DISPATCHER)).toContain('supervise');
    const s2 = step(
      s1,
      'supervise',
      { note: '市督', limit: { unit: 'working_hours', value: 2 } },
      CITY_DISPATCHER,
      nov(23, 10),
    );
    // 10:00 + 2 working hours = 12:00
    expect(s2.supervisions![1]).toMatchObject({ level: 'city', targetCode: TOWN, dueAt: nov(23, 12) });
    expect(refusedWith(run(HANDLING, 'supervise', { note: 'x' }, VILLAGE_OP, nov(23, 10)))).toBe(
      'FORBIDDEN/FORBIDDEN',
    );
    expect(refusedWith(run(HANDLING, 'supervise', { note: 'x' }, OTHER_TOWN_LEADER, nov(23, 10)))).toBe(
      'OUT_OF_SCOPE/OUT_OF_SCOPE',
    );
    // 催办 only from the issuing level; the city's order is the city's to remind.
    expect(
      refusedWith(run(s2, 'remindSupervision', { orderId: 'S1', note: 'x' }, OTHER_TOWN_LEADER, nov(23, 11))),
    ).toBe('OUT_OF_SCOPE/OUT_OF_SCOPE');
    expect(
      refusedWith(run(s2, 'remindSupervision', { orderId: 'S2', note: 'x' }, TOWN_LEADER, nov(23, 11))),
    ).toBe('OUT_OF_SCOPE/OUT_OF_SCOPE');
    expect(
      refusedWith(run(s2, 'remindSupervision', { orderId: 'S9', note: 'x' }, TOWN_LEADER, nov(23, 11))),
    ).toBe('NOT_FOUND/NOT_FOUND');
  });

  it('closing the case settles its open orders; a closed case takes no more supervision commands', () => {
    const s1 = step(HANDLING, 'supervise', { note: '督办' }, TOWN_DISPATCHER, nov(23, 10));
    const fed = step(
      s1,
      'feedback',
      { result: '已清理', afterPhotos: ['cd'.repeat(32)] },
      { id: 'H-fire', role: 'handler', scopeCode: '4419', departmentId: 'fire' },
      nov(23, 11),
    );
    const closed = step(fed, 'close', { checklist: [] }, CHECKER, nov(23, 11, 30));
    expect(closed.supervisions![0]).toMatchObject({ status: 'settled', settledAt: nov(23, 11, 30) });
    expect(refusedWith(run(closed, 'lapseSupervision', { orderId: 'S1' }, SYSTEM, nov(23, 16)))).toBe(
      'CASE_CLOSED/CASE_CLOSED',
    );
  });
});
