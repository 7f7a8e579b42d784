// The desk's supervision list and the briefing's 督办 / 准确派遣率 figures, worked by hand over
// hand-made orders and cases (src-shared/desk/supervision-list.ts, work-rules.ts).
import { describe, expect, it } from 'vitest';
import {
  filterCounts,
  inTimeRate,
  orderActions,
  supervisionWeek,
  type SupervisionItem,
} from '../../src-shared/desk/supervision-list';
import { accurateDispatchByTown } from '../../src-shared/domain/work-rules';
import type { SupervisionOrder } from '../../src-shared/protocol/entities';

const H = 3_600_000;
const WEEK = { from: 1_000 * H, to: 1_168 * H };
const T1 = '441900106';
const T2 = '441900107';

function order(o: Partial<SupervisionOrder>): SupervisionOrder {
  return {
    id: 'S1',
    level: 'town',
    issuerCode: T1,
    issuedBy: 'U-l',
    issuedByRole: 'duty_leader',
    issuedAt: 1_010 * H,
    note: '督办',
    targetCode: `${T1}001`,
    dueAt: 1_014 * H,
    reminders: [],
    answer: null,
    status: 'open',
    lapsedAt: null,
    escalatedTo: null,
    escalatedOrderId: null,
    fromOrderId: null,
    settledAt: null,
    ...o,
  };
}

const item = (town: string, o: SupervisionOrder): SupervisionItem => ({
  caseId: `C-${town}-${o.id}-${o.issuedAt}`,
  number: null,
  categoryCode: '01001',
  address: '',
  state: 'handling',
  townCode: town,
  villageCode: `${town}001`,
  order: o,
  pending: false,
});

describe('supervision week by town', () => {
  // Town 1: A answered in time; B lapsed and escalated (S2, still open); C settled with its case
  // in time; D issued the week before, lapsed in this week. Town 2: E a 市督 answered late.
  const items = [
    item(T1, order({ status: 'answered', answer: { at: 1_012 * H, byId: 'U-v', text: 'ok' } })),
    item(
      T1,
      order({
        id: 'S1',
        issuedAt: 1_020 * H,
        dueAt: 1_024 * H,
        status: 'lapsed',
        lapsedAt: 1_024 * H,
        escalatedTo: 'city',
        escalatedOrderId: 'S2',
      }),
    ),
    item(
      T1,
      order({
        id: 'S2',
        level: 'city',
        issuerCode: '441900',
        targetCode: T1,
        issuedAt: 1_024 * H,
        dueAt: 1_031 * H,
      }),
    ),
    item(T1, order({ issuedAt: 1_030 * H, dueAt: 1_034 * H, status: 'settled', settledAt: 1_031 * H })),
    item(
      T1,
      order({
        issuedAt: 990 * H,
        dueAt: 1_002 * H,
        status: 'lapsed',
        lapsedAt: 1_002 * H,
        escalatedTo: 'city',
        escalatedOrderId: 'S2',
      }),
    ),
    item(
      T2,
      order({
        level: 'city',
        issuerCode: '441900',
        targetCode: T2,
        issuedAt: 1_050 * H,
        dueAt: 1_058 * H,
        status: 'answered',
        answer: { at: 1_060 * H, byId: 'U-t', text: 'late' },
      }),
    ),
  ];

  it('counts issued, 市督, in time, lapses and escalations of the week, waiting', () => {
    const { towns, total } = supervisionWeek(items, WEEK.from, WEEK.to);
    const t1 = towns.find((l) => l.townCode === T1)!;
    // issued in the week: A, B, S2, C = 4 (D was issued the week before); 市督: S2
    expect(t1).toMatchObject({
      issued: 4,
      cityIssued: 1,
      answeredInTime: 2,
      lapsed: 2,
      escalated: 2,
      waiting: 2,
      open: 1,
    });
    // in-time rate over the decided ones: A and C of A, B, C = 2/3
    expect(inTimeRate(t1)).toBeCloseTo(2 / 3, 10);
    const t2 = towns.find((l) => l.townCode === T2)!;
    expect(t2).toMatchObject({ issued: 1, cityIssued: 1, answeredInTime: 0, lapsed: 0, waiting: 0 });
    expect(inTimeRate(t2)).toBe(0);
    expect(total).toMatchObject({ issued: 5, cityIssued: 2, answeredInTime: 2, lapsed: 2, escalated: 2 });
    // a town's scope sees only its own line
    expect(supervisionWeek(items, WEEK.from, WEEK.to, T2).towns.map((l) => l.townCode)).toEqual([T2]);
  });

  it('filters the desk list and offers answer / 催办 to the right seats only', () => {
    expect(filterCounts(items)).toEqual({ waiting: 1, lapsed: 2, done: 3, all: 6 });
    const open = items[2].order; // the 市督 S2 to town 1
    expect(orderActions(open, { role: 'dispatcher', scopeCode: T1 })).toEqual({
      answer: true,
      remind: false,
    });
    expect(orderActions(open, { role: 'duty_leader', scopeCode: '441900' })).toEqual({
      answer: false,
      remind: true,
    });
    expect(orderActions(open, { role: 'village_operator', scopeCode: `${T1}001` })).toEqual({
      answer: false,
      remind: false,
    });
    expect(orderActions(open, { role: 'checker', scopeCode: T1 })).toEqual({ answer: false, remind: false });
  });
});

describe('准确派遣率 by town', () => {
  it('1 − approved returns / dispatches, re-dispatches counted, first dispatches of the week only', () => {
    const cases = [
      // town 1: one clean dispatch; one returned once and re-dispatched (2 dispatches, 1 return);
      // one returned and still waiting in `returned` (1 dispatch, 1 return)
      { townCode: T1, dispatchedAt: 1_001 * H, returnCount: 0, state: 'handling' },
      { townCode: T1, dispatchedAt: 1_002 * H, returnCount: 1, state: 'handling' },
      { townCode: T1, dispatchedAt: 1_003 * H, returnCount: 1, state: 'returned' },
      // town 2: two clean ones, and one dispatched the week before (not counted)
      { townCode: T2, dispatchedAt: 1_004 * H, returnCount: 0, state: 'closed' },
      { townCode: T2, dispatchedAt: 1_005 * H, state: 'feedback' },
      { townCode: T2, dispatchedAt: 999 * H, returnCount: 3, state: 'handling' },
      { townCode: T2, dispatchedAt: null, state: 'reported' },
    ];
    const { towns, total } = accurateDispatchByTown(cases, WEEK.from, WEEK.to);
    // town 1: 4 dispatches, 2 returns → 50 %; town 2: 2 dispatches, 0 returns → 100 %; worst first
    expect(towns).toEqual([
      { townCode: T1, assignments: 4, returned: 2, rate: 0.5 },
      { townCode: T2, assignments: 2, returned: 0, rate: 1 },
    ]);
    expect(total).toEqual({ assignments: 6, returned: 2, rate: 4 / 6 });
  });
});
