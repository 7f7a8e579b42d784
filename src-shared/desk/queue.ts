// The case desk's queue logic, pure: deadline clocks per row, tabs and their counts, filters and
// the sort (emergencies always on top). The renderer runs it over decoded DeskRows; tests run it
// over hand-made rows.
import type { CaseState, Priority } from '../domain/case-model';
import type { WorkingCalendar } from '../domain/calendar';
import {
  DEFAULT_CLOCK_THRESHOLDS,
  dispatchDueAt,
  DISPATCH_LIMIT_MS,
  limitToMs,
  type ClockLevel,
  type TimeLimit,
} from '../domain/deadline';
import type { DeskRow } from './queue-data';

/** `requests`: 缓办 / 延期 / 退单 requests waiting for the duty leader (the leader's approval queue). */
export const DESK_TABS = ['all', 'verify', 'dispatch', 'overdue', 'check', 'suspended', 'requests'] as const;
export type DeskTab = (typeof DESK_TABS)[number];

const TAB_STATES: Partial<Record<DeskTab, readonly CaseState[]>> = {
  verify: ['reported'],
  dispatch: ['registered', 'returned'],
  check: ['feedback'],
  suspended: ['suspended'],
};

/** Which clock a row shows: the handling limit once dispatched, the dispatch limit before. */
export type ClockKind = 'handling' | 'dispatch' | 'paused' | 'none';

export interface RowClock {
  kind: ClockKind;
  level: ClockLevel;
  /** Due instant (null while paused or without a clock). */
  dueMs: number | null;
  /**
   * Time left in the clock's own unit (working ms for working-time limits), negative natural ms
   * once overdue.
   */
  remainingMs: number;
}

const WAITING_DISPATCH: ReadonlySet<CaseState> = new Set(['reported', 'registered', 'returned']);

function level(remaining: number, limitMs: number, overdue: boolean): ClockLevel {
  if (overdue) return 'overdue';
  if (remaining < DEFAULT_CLOCK_THRESHOLDS.red * limitMs) return 'red';
  if (remaining < DEFAULT_CLOCK_THRESHOLDS.amber * limitMs) return 'amber';
  return 'ok';
}

/** Where the row's clock stands at `now`: working time for working-time limits, like deadline.ts. */
export function rowClock(
  row: Pick<DeskRow, 'state' | 'dueAt' | 'reportedAt' | 'priority' | 'dispatchedAt'>,
  limit: TimeLimit | undefined,
  now: number,
  calendar: WorkingCalendar,
): RowClock {
  if (row.state === 'suspended') return { kind: 'paused', level: 'ok', dueMs: null, remainingMs: 0 };
  if (row.dueAt !== null && limit) {
    const limitMs = limitToMs(limit, calendar);
    const overdue = now > row.dueAt;
    const remainingMs = overdue
      ? -(now - row.dueAt)
      : limit.unit === 'hours'
        ? row.dueAt - now
        : calendar.workingMsBetween(now, row.dueAt);
    return { kind: 'handling', level: level(remainingMs, limitMs, overdue), dueMs: row.dueAt, remainingMs };
  }
  if (WAITING_DISPATCH.has(row.state) && row.dispatchedAt === null) {
    const due = dispatchDueAt(row.reportedAt, row.priority);
    const overdue = now > due;
    const remainingMs = overdue ? -(now - due) : due - now;
    return {
      kind: 'dispatch',
      level: level(remainingMs, DISPATCH_LIMIT_MS[row.priority], overdue),
      dueMs: due,
      remainingMs,
    };
  }
  return { kind: 'none', level: 'ok', dueMs: null, remainingMs: 0 };
}

/** A handling deadline has passed (the dispatch limit alone does not make a case "overdue"). */
export function isOverdue(row: Pick<DeskRow, 'state' | 'dueAt'>, now: number): boolean {
  return row.state !== 'suspended' && row.dueAt !== null && row.dueAt < now;
}

export function inTab(row: DeskRow, tab: DeskTab, now: number): boolean {
  if (tab === 'all') return true;
  if (tab === 'overdue') return isOverdue(row, now);
  if (tab === 'requests') return row.request !== null;
  return TAB_STATES[tab]!.includes(row.state);
}

export type TabCounts = Record<DeskTab, number>;

export function tabCounts(rows: Iterable<DeskRow>, now: number): TabCounts {
  const c: TabCounts = { all: 0, verify: 0, dispatch: 0, overdue: 0, check: 0, suspended: 0, requests: 0 };
  for (const r of rows) {
    c.all++;
    if (r.state === 'reported') c.verify++;
    else if (r.state === 'registered' || r.state === 'returned') c.dispatch++;
    else if (r.state === 'feedback') c.check++;
    else if (r.state === 'suspended') c.suspended++;
    if (isOverdue(r, now)) c.overdue++;
    if (r.request !== null) c.requests++;
  }
  return c;
}

export const DESK_SORTS = ['deadline', 'newest', 'oldest', 'priority', 'category', 'state'] as const;
export type DeskSort = (typeof DESK_SORTS)[number];

export interface DeskFilter {
  tab: DeskTab;
  state?: CaseState | null;
  /** A 5-digit minor or 2-digit major category code. */
  category?: string | null;
  priority?: Priority | null;
  /** A division or grid code: cases whose grid lies within it. */
  area?: string | null;
  source?: string | null;
  /** Only rows whose clock is at this level or worse. */
  deadline?: 'overdue' | 'red' | 'amber' | null;
  /** Case id fragment. */
  text?: string | null;
}

const LEVEL_RANK: Record<ClockLevel, number> = { ok: 0, amber: 1, red: 2, overdue: 3 };
const PRIORITY_RANK: Record<Priority, number> = { emergency: 0, urgent: 1, normal: 2 };
const STATE_RANK: Record<CaseState, number> = {
  reported: 0,
  registered: 1,
  returned: 2,
  dispatched: 3,
  handling: 4,
  suspended: 5,
  feedback: 6,
  closed: 7,
  voided: 8,
};

export interface QueueContext {
  now: number;
  calendar: WorkingCalendar;
  limitOf(categoryCode: string): TimeLimit | undefined;
}

/**
 * The rows of the filter in display order. Open emergencies come first whatever the sort; then
 * the chosen key; ties by id so the order is stable between refreshes.
 */
export function selectRows(
  rows: readonly DeskRow[],
  f: DeskFilter,
  sort: DeskSort,
  ctx: QueueContext,
): DeskRow[] {
  const text = f.text?.trim().toLowerCase() || null;
  const minLevel = f.deadline ? LEVEL_RANK[f.deadline] : 0;
  const clockOf = (r: DeskRow): RowClock => rowClock(r, ctx.limitOf(r.categoryCode), ctx.now, ctx.calendar);
  const out = rows.filter(
    (r) =>
      inTab(r, f.tab, ctx.now) &&
      (!f.state || r.state === f.state) &&
      (!f.category || r.categoryCode.startsWith(f.category)) &&
      (!f.priority || r.priority === f.priority) &&
      (!f.area || r.gridCode.startsWith(f.area)) &&
      (!f.source || r.source === f.source) &&
      (!text || r.id.toLowerCase().includes(text) || (r.number?.toLowerCase().includes(text) ?? false)) &&
      (minLevel === 0 || LEVEL_RANK[clockOf(r).level] >= minLevel),
  );
  const key = (r: DeskRow): number => {
    switch (sort) {
      case 'deadline':
        // The due instant alone orders the clocks: no working-time arithmetic per row.
        if (r.state === 'suspended') return Number.POSITIVE_INFINITY;
        if (r.dueAt !== null) return r.dueAt;
        return WAITING_DISPATCH.has(r.state) && r.dispatchedAt === null
          ? dispatchDueAt(r.reportedAt, r.priority)
          : Number.POSITIVE_INFINITY;
      case 'newest':
        return -r.reportedAt;
      case 'oldest':
        return r.reportedAt;
      case 'priority':
        return PRIORITY_RANK[r.priority] * 1e15 - r.reportedAt;
      case 'category':
        return Number(r.categoryCode);
      case 'state':
        return STATE_RANK[r.state];
    }
  };
  const keyed = out.map((r) => ({ r, top: r.priority === 'emergency' ? 0 : 1, k: key(r) }));
  keyed.sort((a, b) => {
    if (a.top !== b.top) return a.top - b.top;
    if (a.k !== b.k) return a.k < b.k ? -1 : 1;
    return a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0;
  });
  return keyed.map((x) => x.r);
}

/** Merge changed rows into the queue (by id) and drop the removed ones; returns the new ids seen. */
export function mergeRows(
  current: Map<string, DeskRow>,
  changed: readonly DeskRow[],
  removed: readonly string[],
): string[] {
  const fresh: string[] = [];
  for (const id of removed) current.delete(id);
  for (const r of changed) {
    if (!current.has(r.id)) fresh.push(r.id);
    current.set(r.id, r);
  }
  return fresh;
}

/** "2 h 05 min", "35 min", "45 s" (the renderer translates the units). */
export function splitDuration(ms: number): { d: number; h: number; m: number; s: number } {
  const t = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  return {
    d: Math.floor(t / 86_400),
    h: Math.floor((t % 86_400) / 3_600),
    m: Math.floor((t % 3_600) / 60),
    s: t % 60,
  };
}
