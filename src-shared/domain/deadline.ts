// Deadline and overdue arithmetic on the working-time calendar (DOMAIN.md "Time limits").
//
// Handling clock
// - It starts at dispatch (派遣): `startMs` is the dispatch time. Whether a re-dispatch after a
//   return (退单) restarts it is the caller's choice of `startMs`; this module just measures.
// - It runs in the limit's unit: natural time for 'hours', working time for 'working_hours' and
//   'working_days' (1 working day = the calendar's working ms per day, 7.5 h by default, the same
//   rule as WorkingCalendar.addWorkingDays).
// - It pauses while the case is suspended (挂账/缓办): the due time moves out by the clock time the
//   suspensions cover — natural time for 'hours', working time otherwise, so a suspension over a
//   weekend costs a working-hours case nothing. While a suspension is still open the due time is
//   unknown (null) unless it had already passed before the suspension began.
//
// Warning levels (clockState): 'overdue' once the due instant has passed; otherwise 'red' when
// less than 10% of the limit remains, 'amber' when less than 25% remains, else 'ok'. The
// fractions are of the limit measured in its own unit, and can be overridden.
//
// Dispatch limit (Taiyuan practice, DOMAIN.md): an emergency case must be registered and
// dispatched within 10 natural minutes of the report, any other within 30 minutes.

import { TIME_LIMIT_UNITS, type Priority, type TimeLimitUnit } from './case-model';
import { HOUR_MS, MINUTE_MS, type WorkingCalendar } from './calendar';

export interface TimeLimit {
  unit: TimeLimitUnit;
  value: number;
}

/** A suspension interval; toMs null while the case is still suspended. */
export interface Suspension {
  fromMs: number;
  toMs: number | null;
}

export interface CaseTiming {
  /** Dispatch time: the handling clock starts here. */
  startMs: number;
  limit: TimeLimit;
  suspensions: readonly Suspension[];
  /** Approved extensions 延期, in clock ms of the limit's own clock, added to the limit. */
  extensionMs?: number;
}

export type ClockLevel = 'ok' | 'amber' | 'red' | 'overdue';

export interface ClockThresholds {
  /** Fraction of the limit below which the level is 'amber'. */
  amber: number;
  /** Fraction of the limit below which the level is 'red'. */
  red: number;
}

export const DEFAULT_CLOCK_THRESHOLDS: Readonly<ClockThresholds> = { amber: 0.25, red: 0.1 };

export interface ClockState {
  /** The limit in clock ms (working ms for working units). */
  limitMs: number;
  /** Clock ms used so far, suspensions excluded. */
  consumedMs: number;
  /**
   * limitMs − consumedMs: ≤ 0 once overdue. For working units it stays 0 outside working hours
   * right after the deadline (no working time has passed yet), so use `overdue` as the verdict.
   */
  remainingMs: number;
  overdue: boolean;
  /** Natural ms since the due instant; 0 when not overdue. */
  overdueByMs: number;
  level: ClockLevel;
  /** Now falls inside a suspension. */
  paused: boolean;
  /** Due instant, or null while an open suspension holds it undetermined. */
  dueMs: number | null;
}

export type DeadlineErrorCode = 'BAD_LIMIT_UNIT' | 'BAD_LIMIT_VALUE';
export type DeadlineResult<T> =
  { ok: true; value: T } | { ok: false; code: DeadlineErrorCode; reason: string };

/** Boundary check for a time limit coming from configuration or the wire. */
export function validateTimeLimit(input: { unit: unknown; value: unknown }): DeadlineResult<TimeLimit> {
  const { unit, value } = input;
  if (typeof unit !== 'string' || !(TIME_LIMIT_UNITS as readonly string[]).includes(unit)) {
    return {
      ok: false,
      code: 'BAD_LIMIT_UNIT',
      reason: `time-limit unit ${JSON.stringify(unit)} is not one of ${TIME_LIMIT_UNITS.join(', ')}`,
    };
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return {
      ok: false,
      code: 'BAD_LIMIT_VALUE',
      reason: `time-limit value ${String(value)} must be a finite number > 0`,
    };
  }
  return { ok: true, value: { unit: unit as TimeLimitUnit, value } };
}

/** The limit expressed in clock ms of its own unit. */
export function limitToMs(limit: TimeLimit, calendar: WorkingCalendar): number {
  if (!Number.isFinite(limit.value) || limit.value <= 0) {
    throw new RangeError(`time-limit value ${limit.value} must be a finite number > 0`);
  }
  switch (limit.unit) {
    case 'hours':
    case 'working_hours':
      return limit.value * HOUR_MS;
    case 'working_days':
      return limit.value * calendar.workingMsPerDay;
  }
}

interface Clock {
  measure(a: number, b: number): number;
  add(start: number, amount: number): number;
}

function clockFor(unit: TimeLimitUnit, calendar: WorkingCalendar): Clock {
  if (unit === 'hours') return { measure: (a, b) => b - a, add: (s, x) => s + x };
  return {
    measure: (a, b) => calendar.workingMsBetween(a, b),
    add: (s, x) => calendar.addWorkingTime(s, x),
  };
}

/**
 * Suspensions clipped to start at or after startMs, sorted and merged; an open one becomes
 * [from, +∞). Malformed intervals are caller bugs (the server builds them from the event log).
 */
function normalise(startMs: number, suspensions: readonly Suspension[]): Array<[number, number]> {
  const list: Array<[number, number]> = [];
  for (const s of suspensions) {
    const to = s.toMs === null ? Number.POSITIVE_INFINITY : s.toMs;
    if (!Number.isFinite(s.fromMs) || Number.isNaN(to) || to < s.fromMs) {
      throw new RangeError(`suspension ${s.fromMs} → ${String(s.toMs)} is not a forward interval`);
    }
    if (to <= startMs) continue;
    list.push([Math.max(s.fromMs, startMs), to]);
  }
  list.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const iv of list) {
    const last = merged[merged.length - 1];
    if (last !== undefined && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

function checkStart(startMs: number): void {
  if (!Number.isFinite(startMs)) throw new RangeError(`start ${startMs} is not a finite epoch ms`);
}

/**
 * When the handling time limit runs out, the clock paused during suspensions. Null while a
 * suspension is still open and the limit had not run out before it began.
 */
export function dueAt(timing: CaseTiming, calendar: WorkingCalendar): number | null {
  checkStart(timing.startMs);
  const clock = clockFor(timing.limit.unit, calendar);
  let rest = limitToMs(timing.limit, calendar) + (timing.extensionMs ?? 0);
  let t = timing.startMs;
  for (const [from, to] of normalise(timing.startMs, timing.suspensions)) {
    if (from > t) {
      const candidate = clock.add(t, rest);
      if (candidate <= from) return candidate;
      rest -= clock.measure(t, from);
    }
    if (to === Number.POSITIVE_INFINITY) return null;
    t = Math.max(t, to);
  }
  return clock.add(t, rest);
}

/** Clock ms used between startMs and atMs, suspended time excluded; 0 before the start. */
export function consumedAt(timing: CaseTiming, atMs: number, calendar: WorkingCalendar): number {
  checkStart(timing.startMs);
  const clock = clockFor(timing.limit.unit, calendar);
  let used = 0;
  let t = timing.startMs;
  if (atMs <= t) return 0;
  for (const [from, to] of normalise(timing.startMs, timing.suspensions)) {
    if (from >= atMs) break;
    if (from > t) used += clock.measure(t, from);
    t = Math.max(t, to);
    if (t >= atMs) return used;
  }
  return used + clock.measure(t, atMs);
}

function checkThresholds(th: ClockThresholds): void {
  if (!(th.red >= 0 && th.red <= th.amber && th.amber <= 1)) {
    throw new RangeError(`clock thresholds need 0 ≤ red (${th.red}) ≤ amber (${th.amber}) ≤ 1`);
  }
}

/** Where the handling clock stands at nowMs. */
export function clockState(
  timing: CaseTiming,
  nowMs: number,
  calendar: WorkingCalendar,
  thresholds: ClockThresholds = DEFAULT_CLOCK_THRESHOLDS,
): ClockState {
  checkThresholds(thresholds);
  const limitMs = limitToMs(timing.limit, calendar) + (timing.extensionMs ?? 0);
  const consumedMs = consumedAt(timing, nowMs, calendar);
  const remainingMs = limitMs - consumedMs;
  const dueMs = dueAt(timing, calendar);
  const overdue = dueMs !== null && nowMs > dueMs;
  const paused = normalise(timing.startMs, timing.suspensions).some(
    ([from, to]) => nowMs >= from && nowMs < to,
  );
  let level: ClockLevel;
  if (overdue) level = 'overdue';
  else if (remainingMs < thresholds.red * limitMs) level = 'red';
  else if (remainingMs < thresholds.amber * limitMs) level = 'amber';
  else level = 'ok';
  return {
    limitMs,
    consumedMs,
    remainingMs,
    overdue,
    overdueByMs: overdue && dueMs !== null ? nowMs - dueMs : 0,
    level,
    paused,
    dueMs,
  };
}

/** Natural-time limit from report to dispatch, by priority. */
export const DISPATCH_LIMIT_MS: Readonly<Record<Priority, number>> = {
  emergency: 10 * MINUTE_MS,
  urgent: 30 * MINUTE_MS,
  normal: 30 * MINUTE_MS,
};

export function dispatchDueAt(reportedAtMs: number, priority: Priority): number {
  return reportedAtMs + DISPATCH_LIMIT_MS[priority];
}

/** Dispatched no later than the dispatch limit (the limit instant itself is on time). */
export function dispatchedOnTime(reportedAtMs: number, dispatchedAtMs: number, priority: Priority): boolean {
  return dispatchedAtMs <= dispatchDueAt(reportedAtMs, priority);
}
