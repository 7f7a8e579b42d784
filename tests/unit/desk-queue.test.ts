// The case desk's queue logic: the compact wire format round-trips, the deadline clock per row
// follows the working calendar (amber/red/overdue, paused while suspended, the dispatch limit
// before dispatch), tabs count what they show, filters and the sort pin emergencies on top.
import { describe, expect, it } from 'vitest';
import { defaultCalendar, HOUR_MS, MINUTE_MS, shanghaiMs } from '../../src-shared/domain/calendar';
import { dueAt } from '../../src-shared/domain/deadline';
import { decodeDeskRows, encodeDeskRows, type DeskRow } from '../../src-shared/desk/queue-data';
import { mergeRows, rowClock, selectRows, tabCounts, type QueueContext } from '../../src-shared/desk/queue';
import { deskFigures, weekStartShanghai } from '../../src-shared/desk/figures';
import type { TimeLimit } from '../../src-shared/domain/deadline';

const calendar = defaultCalendar();
// Wednesday 4 March 2026, 10:00 in Shanghai: a working day.
const NOW = shanghaiMs(2026, 3, 4, 10, 0);
const LIMITS: Record<string, TimeLimit> = {
  '01001': { unit: 'working_hours', value: 4 },
  '02001': { unit: 'hours', value: 2 },
};

function row(id: string, over: Partial<DeskRow> = {}): DeskRow {
  return {
    id,
    number: null,
    state: 'handling',
    priority: 'normal',
    source: 'patrol',
    categoryCode: '01001',
    gridCode: '441900106001001',
    holderCode: '441900106001',
    reportedAt: NOW - 2 * HOUR_MS,
    dispatchedAt: NOW - HOUR_MS,
    dueAt: NOW + 3 * HOUR_MS,
    lon: 113.75,
    lat: 23.02,
    assignee: 'officer:O-1',
    supervised: false,
    reworkCount: 0,
    request: null,
    pending: false,
    version: 3,
    ...over,
  };
}

const ctx: QueueContext = { now: NOW, calendar, limitOf: (code) => LIMITS[code] };

describe('desk queue wire format', () => {
  it('round-trips rows through columns with shared dictionaries', () => {
    const rows = [
      row('A'),
      row('B', {
        state: 'reported',
        dispatchedAt: null,
        dueAt: null,
        assignee: null,
        priority: 'emergency',
        source: 'citizen',
      }),
      row('C', {
        number: 'DG20260304-106-0042',
        supervised: true,
        pending: true,
        reworkCount: 2,
        request: 'extension',
        gridCode: '441900106002001',
        holderCode: '441900106',
        assignee: 'department:fire',
      }),
    ];
    const cols = encodeDeskRows(rows);
    expect(cols.count).toBe(3);
    expect(cols.gridCodes).toEqual(['441900106001001', '441900106002001']);
    expect(cols.categoryCodes).toEqual(['01001']);
    expect(Number.isNaN(cols.dueAt[1])).toBe(true);
    expect(decodeDeskRows(cols)).toEqual(rows);
  });

  it('merges changed rows in place and reports the ones it had not seen', () => {
    const map = new Map([row('A'), row('B')].map((r) => [r.id, r]));
    const fresh = mergeRows(map, [row('B', { state: 'feedback' }), row('N')], ['A']);
    expect(fresh).toEqual(['N']);
    expect([...map.keys()].sort()).toEqual(['B', 'N']);
    expect(map.get('B')!.state).toBe('feedback');
  });
});

describe('row clock on the working calendar', () => {
  it('counts working time left and turns amber, red and overdue at 25 %, 10 % and the due instant', () => {
    const limit = LIMITS['01001'];
    const start = shanghaiMs(2026, 3, 4, 9, 0);
    const due = dueAt({ startMs: start, limit, suspensions: [] }, calendar)!;
    const at = (ms: number) => rowClock(row('A', { dueAt: due, dispatchedAt: start }), limit, ms, calendar);
    expect(at(start).level).toBe('ok');
    expect(at(start).remainingMs).toBe(4 * HOUR_MS);
    // 50 working minutes left of 240 (< 25 %): amber; 20 minutes left (< 10 %): red.
    expect(at(calendar.addWorkingTime(start, 190 * MINUTE_MS)).level).toBe('amber');
    expect(at(calendar.addWorkingTime(start, 220 * MINUTE_MS)).level).toBe('red');
    const late = at(due + 5 * MINUTE_MS);
    expect(late.level).toBe('overdue');
    expect(late.remainingMs).toBe(-5 * MINUTE_MS);
    // The lunch break is not working time: at 12:00 and at 13:59 the same time is left.
    const noon = at(shanghaiMs(2026, 3, 4, 12, 0)).remainingMs;
    expect(at(shanghaiMs(2026, 3, 4, 13, 59)).remainingMs).toBeLessThanOrEqual(noon);
  });

  it('is paused while suspended and runs the dispatch limit before the first dispatch', () => {
    expect(rowClock(row('S', { state: 'suspended', dueAt: null }), LIMITS['01001'], NOW, calendar).kind).toBe(
      'paused',
    );
    const waiting = row('R', {
      state: 'registered',
      dispatchedAt: null,
      dueAt: null,
      reportedAt: NOW - 28 * MINUTE_MS,
    });
    const c = rowClock(waiting, LIMITS['01001'], NOW, calendar);
    expect(c.kind).toBe('dispatch');
    expect(c.remainingMs).toBe(2 * MINUTE_MS); // 30 min for a normal case: < 10 % left
    expect(c.level).toBe('red');
    const emergency = rowClock({ ...waiting, priority: 'emergency' }, LIMITS['01001'], NOW, calendar);
    expect(emergency.level).toBe('overdue'); // 10 min for an emergency
  });
});

describe('tabs, filters and sort', () => {
  const rows = [
    row('H1', { dueAt: NOW + 3 * HOUR_MS }),
    row('H2', { dueAt: NOW - HOUR_MS }),
    row('R1', { state: 'reported', dispatchedAt: null, dueAt: null, reportedAt: NOW - 5 * MINUTE_MS }),
    row('G1', {
      state: 'registered',
      dispatchedAt: null,
      dueAt: null,
      source: 'hotline',
      reportedAt: NOW - 10 * MINUTE_MS,
    }),
    row('T1', { state: 'returned', dueAt: NOW + HOUR_MS }),
    row('F1', { state: 'feedback', dueAt: NOW + 10 * MINUTE_MS, categoryCode: '02001' }),
    row('S1', { state: 'suspended', dueAt: null }),
    row('E1', {
      priority: 'emergency',
      dueAt: NOW + 50 * HOUR_MS,
      gridCode: '441900106002001',
      request: 'suspend',
    }),
  ];

  it('counts every tab', () => {
    expect(tabCounts(rows, NOW)).toEqual({
      all: 8,
      verify: 1,
      dispatch: 2,
      overdue: 1,
      check: 1,
      suspended: 1,
      requests: 1,
    });
  });

  it('shows what a tab counts, emergencies first, then by deadline', () => {
    const all = selectRows(rows, { tab: 'all' }, 'deadline', ctx).map((r) => r.id);
    expect(all[0]).toBe('E1');
    // Dispatch clocks sort with handling deadlines: G1 is due to be dispatched in 20 min, R1 in 25.
    expect(all.slice(1, 6)).toEqual(['H2', 'F1', 'G1', 'R1', 'T1']);
    expect(selectRows(rows, { tab: 'overdue' }, 'deadline', ctx).map((r) => r.id)).toEqual(['H2']);
    expect(
      selectRows(rows, { tab: 'dispatch' }, 'deadline', ctx)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['G1', 'T1']);
    expect(selectRows(rows, { tab: 'requests' }, 'deadline', ctx).map((r) => r.id)).toEqual(['E1']);
    for (const tab of ['verify', 'dispatch', 'check', 'suspended', 'overdue', 'requests'] as const)
      expect(selectRows(rows, { tab }, 'newest', ctx)).toHaveLength(tabCounts(rows, NOW)[tab]);
  });

  it('filters by state, category, priority, area, source, deadline level and id', () => {
    const ids = (f: Parameters<typeof selectRows>[1]) =>
      selectRows(rows, f, 'oldest', ctx)
        .map((r) => r.id)
        .sort();
    expect(ids({ tab: 'all', state: 'feedback' })).toEqual(['F1']);
    expect(ids({ tab: 'all', category: '02' })).toEqual(['F1']);
    expect(ids({ tab: 'all', priority: 'emergency' })).toEqual(['E1']);
    expect(ids({ tab: 'all', area: '441900106002' })).toEqual(['E1']);
    expect(ids({ tab: 'all', source: 'hotline' })).toEqual(['G1']);
    expect(ids({ tab: 'all', deadline: 'overdue' })).toEqual(['H2']);
    // F1: 10 min of a 2 h natural limit left (< 10 %) → red; R1's dispatch clock has 25 of 30 min.
    expect(ids({ tab: 'all', deadline: 'red' })).toEqual(['F1', 'H2']);
    expect(ids({ tab: 'all', text: 'g1' })).toEqual(['G1']);
  });

  it('finds a case by its human number, whole or in part (issue 18)', () => {
    const numbered = [
      row('019ab3c4-0001', { number: 'DG20260304-106-0042' }),
      row('019ab3c4-0002', { number: 'DG20260304-106-0043' }),
      row('019ab3c4-0003'),
    ];
    const ids = (text: string) =>
      selectRows(numbered, { tab: 'all', text }, 'oldest', ctx)
        .map((r) => r.id)
        .sort();
    expect(ids('DG20260304-106-0042')).toEqual(['019ab3c4-0001']);
    expect(ids('dg20260304-106-0042')).toEqual(['019ab3c4-0001']);
    expect(ids('106-004')).toEqual(['019ab3c4-0001', '019ab3c4-0002']);
    expect(ids('0003')).toEqual(['019ab3c4-0003']);
  });
});

describe('seat figures', () => {
  it('uses the evaluation formulas: each case in the period of its deadline, older open ones as backlog', () => {
    const monday = weekStartShanghai(NOW);
    expect(monday).toBe(shanghaiMs(2026, 3, 2, 0, 0));
    const base = {
      priority: 'normal' as const,
      source: 'patrol' as const,
      registeredAt: null,
      reworkCount: 0,
    };
    const f = deskFigures(
      [
        // Closed today on time, dispatched on time.
        {
          ...base,
          reportedAt: NOW - HOUR_MS,
          dispatchedAt: NOW - HOUR_MS + 10 * MINUTE_MS,
          dueAt: NOW + HOUR_MS,
          closedAt: NOW - MINUTE_MS,
        },
        // Closed on Monday, late, reworked once.
        {
          ...base,
          reportedAt: monday,
          dispatchedAt: monday + HOUR_MS,
          dueAt: monday + 2 * HOUR_MS,
          closedAt: monday + 5 * HOUR_MS,
          reworkCount: 1,
        },
        // Open and overdue since yesterday: due this week (against the week's rates), backlog
        // 积案 today (not counted again in today's rates).
        {
          ...base,
          reportedAt: NOW - 30 * HOUR_MS,
          dispatchedAt: NOW - 29 * HOUR_MS,
          dueAt: NOW - 20 * HOUR_MS,
          closedAt: null,
        },
      ],
      NOW,
    );
    expect(f.today.counts).toMatchObject({
      closed: 1,
      overdueOpen: 0,
      dueForClosure: 1,
      closedOnTime: 1,
      backlog: 1,
    });
    expect(f.today.rates.closureRate).toBe(1);
    expect(f.week.counts).toMatchObject({
      closed: 2,
      overdueOpen: 1,
      dueForClosure: 3,
      reworked: 1,
      backlog: 0,
    });
    expect(f.week.rates.onTimeClosureRate).toBeCloseTo(1 / 3);
    expect(f.week.rates.reworkRate).toBeCloseTo(1 / 3);
    // Only the first was dispatched within 30 min of its report (3 due for dispatch this week).
    expect(f.week.rates.onTimeDispatchRate).toBeCloseTo(1 / 3);
  });
});
