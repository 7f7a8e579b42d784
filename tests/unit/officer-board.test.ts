// The officer board's rows (src-shared/desk/officer-board.ts): status with staleness, time in
// status as this console saw it, open cases from the queue, filters and sorts, demo contacts.
import { describe, expect, it } from 'vitest';
import { boardRows, demoContact, StatusClock } from '../../src-shared/desk/officer-board';
import type { DeskRow } from '../../src-shared/desk/queue-data';
import type { Officer, OfficerFix } from '../../src-shared/protocol/entities';

const NOW = Date.UTC(2026, 11, 7, 2, 0);
const MIN = 60_000;
const officer = (id: string, number: string, name: string, grid = '441900004003001'): Officer => ({
  id,
  number,
  name,
  kind: 'grid',
  departmentCode: null,
  homeGridCode: grid,
  gridCodes: [grid],
  villageCode: grid.slice(0, 12),
  townCode: grid.slice(0, 9),
});
const fix = (officerId: string, status: OfficerFix['status'], at: number): OfficerFix => ({
  officerId,
  status,
  lon: 113.75,
  lat: 23,
  heading: null,
  at,
});
const row = (id: string, assignee: string | null, dueAt: number | null): DeskRow => ({
  id,
  number: `DG20261207-004-${id}`,
  state: 'dispatched',
  priority: 'normal',
  source: 'patrol',
  categoryCode: '01001',
  gridCode: '441900004003001',
  holderCode: '441900004003',
  reportedAt: NOW - 60 * MIN,
  dispatchedAt: NOW - 30 * MIN,
  dueAt,
  lon: 113.75,
  lat: 23,
  assignee,
  supervised: false,
  reworkCount: 0,
  request: null,
  pending: false,
  version: 3,
});

const A = officer('O-A', 'GY0001', '张伟');
const B = officer('O-B', 'GY0002', '李娜', '441900004003002');
const C = officer('O-C', 'GY0003', '王强');
const D = officer('O-D', 'GY0004', '赵敏');

describe('officer board rows', () => {
  const clock = new StatusClock();
  // First look at 01:40 UTC: A on duty, B patrolling, C handling; D never sent a fix.
  clock.observe([
    fix('O-A', 'on_duty', NOW - 20 * MIN),
    fix('O-B', 'patrol', NOW - 20 * MIN),
    fix('O-C', 'handling', NOW - 20 * MIN),
  ]);
  // 01:55: B starts handling; A unchanged; C's phone goes quiet (its last fix stays at 01:40).
  const latest = [
    fix('O-A', 'on_duty', NOW - 5 * MIN),
    fix('O-B', 'handling', NOW - 5 * MIN),
    fix('O-C', 'handling', NOW - 20 * MIN),
  ];
  clock.observe(latest);
  const fixes = new Map(latest.map((f) => [f.officerId, f]));
  const queue = [
    row('0007', 'officer:O-B', NOW + 60 * MIN),
    row('0003', 'officer:O-B', NOW + 10 * MIN),
    row('0009', 'department:urban', null),
  ];

  it('shows status, staleness, time in status and open cases (most urgent first)', () => {
    const rows = boardRows([A, B, C, D], fixes, queue, clock, NOW, {}, 'number');
    expect(rows.map((r) => [r.officer.number, r.status, r.stale, r.cases.map((c) => c.id)])).toEqual([
      ['GY0001', 'on_duty', false, []],
      ['GY0002', 'handling', false, ['0003', '0007']],
      ['GY0003', 'handling', true, []], // last fix 20 min ago > 10 min
      ['GY0004', null, false, []],
    ]);
    // A: on duty since at least the first fix seen (20 min); B: handling since the change at 5 min.
    expect([rows[0].statusSince, rows[0].sinceAtLeast]).toEqual([NOW - 20 * MIN, true]);
    expect([rows[1].statusSince, rows[1].sinceAtLeast]).toEqual([NOW - 5 * MIN, false]);
    expect(rows[3].statusSince).toBeNull();
  });

  it('sorts by status (live before stale, free before busy) and by load', () => {
    const byStatus = boardRows([A, B, C, D], fixes, queue, clock, NOW, {}, 'status');
    expect(byStatus.map((r) => r.officer.number)).toEqual(['GY0001', 'GY0002', 'GY0003', 'GY0004']);
    const byLoad = boardRows([B, A, C], fixes, queue, clock, NOW, {}, 'load');
    expect(byLoad.map((r) => [r.officer.number, r.cases.length])).toEqual([
      ['GY0001', 0],
      ['GY0003', 0],
      ['GY0002', 2],
    ]);
    const byFix = boardRows([C, D, A], fixes, queue, clock, NOW, {}, 'fixAge');
    expect(byFix.map((r) => r.officer.number)).toEqual(['GY0001', 'GY0003', 'GY0004']);
  });

  it('filters by status, free, stale and by name, number or grid', () => {
    const pick = (f: Parameters<typeof boardRows>[5]): string[] =>
      boardRows([A, B, C, D], fixes, queue, clock, NOW, f, 'number').map((r) => r.officer.number);
    expect(pick({ status: 'handling' })).toEqual(['GY0002']); // C is stale: not believed handling
    expect(pick({ status: 'free' })).toEqual(['GY0001']);
    expect(pick({ status: 'stale' })).toEqual(['GY0003', 'GY0004']);
    expect(pick({ text: '李' })).toEqual(['GY0002']);
    expect(pick({ text: 'gy0004' })).toEqual(['GY0004']);
    expect(pick({ text: '003002' })).toEqual(['GY0002']);
  });

  it('gives each officer a stable demo phone in the 0769 block and an intercom from its number', () => {
    const c = demoContact(A);
    expect(c).toEqual(demoContact({ id: 'O-A', number: 'GY0001' }));
    expect(c.phone).toMatch(/^138-0769-\d{4}$/);
    expect(c.intercom).toBe('90001');
    expect(demoContact(B).phone).not.toBe(c.phone);
  });
});
