// The working rules that need a category, a clock or the calendar, shared by the
// server's command path and the console's outbox (through case-commands.ts):
// - the handling clock of the current handler: from the first dispatch, or from the re-dispatch
//   after an approved return (a fresh clock); paused by approved suspensions only; lengthened
//   by approved extensions 延期;
// - the return window: an assignee may ask to return a case (退单) only within
//   RETURN_WINDOW_WORKING_MS of working time after it was dispatched to it;
// - 前置处理 (self-handling on the spot) is never allowed for emergencies, gas (燃气安全, major
//   02) or hazardous chemicals (危化品安全, major 03);
// - 缓办 (suspension) is never allowed for emergencies;
// - the closing standard 结案条件 as a checklist: the category's text, cut at its commas and
//   semicolons, each item to be confirmed by the checker.
import type { Priority } from './case-model';
import { HOUR_MS, type WorkingCalendar } from './calendar';
import { dueAt, limitToMs, type Suspension, type TimeLimit } from './deadline';

/** 2 working hours after the dispatch to this assignee (a Friday-evening dispatch can wait for Monday). */
export const RETURN_WINDOW_WORKING_MS = 2 * HOUR_MS;

/** Major classes whose findings are never handled on the spot: 燃气安全, 危化品安全. */
export const NO_SELF_HANDLE_MAJORS: ReadonlySet<string> = new Set(['02', '03']);

/** Why a finding of this category and priority may not be self-handled, or null when it may. */
export function selfHandleRefusal(categoryCode: string, priority: Priority): string | null {
  const major = categoryCode.slice(0, 2);
  if (major === '02') return 'gas cases (燃气安全) are never handled on the spot: report them for dispatch';
  if (major === '03')
    return 'hazardous-chemical cases (危化品安全) are never handled on the spot: report them for dispatch';
  if (priority === 'emergency') return 'emergencies are never handled on the spot: report them for dispatch';
  return null;
}

/**
 * Why a case of this priority may not be suspended (缓办/挂账), or null when it may: a 特急 case
 * is handled at once — waiting on an owner or a permit is not an answer to a gas leak or a
 * crowd — so neither the request nor its approval is accepted.
 */
export function suspendRefusal(priority: Priority): string | null {
  return priority === 'emergency'
    ? 'emergencies (特急) are never suspended (缓办): handle them now, or ask for more time (延期)'
    : null;
}

/** The closing standard as checklist items: cut at commas, semicolons and full stops. */
export function closingChecklist(standard: string): string[] {
  return standard
    .split(/[，,；;。]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The items of `standard` missing from what the checker confirmed (empty = all confirmed). */
export function unconfirmedItems(standard: string, confirmed: readonly string[] | undefined): string[] {
  const got = new Set((confirmed ?? []).map((s) => s.trim()));
  return closingChecklist(standard).filter((item) => !got.has(item));
}

/** What of a case the handling clock needs (field names of protocol Case). */
export interface ClockFacts {
  dispatchedAt: number | null;
  clockStartMs?: number | null;
  suspensions: readonly Suspension[];
  extensions?: readonly TimeLimit[];
}

/** When the current handler's clock starts: the re-dispatch after a return, else the first dispatch. */
export function clockStartOf(c: ClockFacts): number | null {
  return c.clockStartMs ?? c.dispatchedAt;
}

/** Approved extensions in clock ms of the limit's clock. */
export function extensionMsOf(c: ClockFacts, calendar: WorkingCalendar): number {
  return (c.extensions ?? []).reduce((sum, e) => sum + limitToMs(e, calendar), 0);
}

/** The handling deadline of a case under `limit`, or null before dispatch / while suspended. */
export function handlingDueAt(c: ClockFacts, limit: TimeLimit, calendar: WorkingCalendar): number | null {
  const startMs = clockStartOf(c);
  if (startMs === null) return null;
  return dueAt(
    { startMs, limit, suspensions: c.suspensions, extensionMs: extensionMsOf(c, calendar) },
    calendar,
  );
}

/**
 * 准确派遣率 accurate dispatch rate = (assignments − approved returns) / assignments, where an
 * assignment is a dispatch to a handler (the first one and each re-dispatch after a return).
 * Counted per case from its record: returnCount approved returns, each followed by a
 * re-dispatch unless the case is still waiting in `returned`. Null with no assignment.
 */
export function accurateDispatchRate(
  cases: Iterable<{
    dispatchedAt: number | null;
    returnCount?: number;
    state?: string;
    /** An evaluation record's word for `state === 'returned'` (evaluation.ts). */
    awaitingRedispatch?: boolean;
  }>,
): AccurateDispatch {
  let assignments = 0;
  let returned = 0;
  for (const c of cases) {
    if (c.dispatchedAt === null) continue;
    const r = c.returnCount ?? 0;
    returned += r;
    assignments += 1 + r - ((c.awaitingRedispatch ?? c.state === 'returned') ? 1 : 0);
  }
  return { assignments, returned, rate: assignments === 0 ? null : (assignments - returned) / assignments };
}

export interface AccurateDispatch {
  assignments: number;
  returned: number;
  rate: number | null;
}

/**
 * 准确派遣率 by town of the cases first dispatched in [fromMs, toMs), and over all of them
 * (accurateDispatchRate on each group).
 */
export function accurateDispatchByTown(
  cases: Iterable<{ townCode: string; dispatchedAt: number | null; returnCount?: number; state: string }>,
  fromMs: number,
  toMs: number,
): { towns: Array<AccurateDispatch & { townCode: string }>; total: AccurateDispatch } {
  const groups = new Map<string, { dispatchedAt: number | null; returnCount?: number; state: string }[]>();
  const all: { dispatchedAt: number | null; returnCount?: number; state: string }[] = [];
  for (const c of cases) {
    if (c.dispatchedAt === null || c.dispatchedAt < fromMs || c.dispatchedAt >= toMs) continue;
    all.push(c);
    const g = groups.get(c.townCode) ?? [];
    g.push(c);
    groups.set(c.townCode, g);
  }
  const towns = [...groups.entries()]
    .map(([townCode, g]) => ({ townCode, ...accurateDispatchRate(g) }))
    .sort((a, b) => (a.rate ?? 1) - (b.rate ?? 1) || a.townCode.localeCompare(b.townCode));
  return { towns, total: accurateDispatchRate(all) };
}
