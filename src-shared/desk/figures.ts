// The seat's figures (DOMAIN.md evaluation, evaluation.ts formulas) for today and this week,
// Asia/Shanghai days, weeks starting on Monday. The dispatch server computes them over its
// records — the history's rows, the catch-up segments and the store's cases, the records the
// briefing's rollups count (src-server/briefing/desk-figures.ts) — because a console's cache
// holds only the open cases and what moved since its snapshot; the console keeps the last answer
// for offline use (src-main/data/desk/desk-figures.ts).
import { z } from 'zod';
import { accurateDispatchRate, type AccurateDispatch } from '../domain/work-rules';
import { DAY_MS, dayOfWeek, shanghaiDayIndex, startOfDayShanghai } from '../domain/calendar';
import {
  countsForPeriod,
  emptyCounts,
  rates,
  type EvaluationCase,
  type EvaluationCounts,
  type Rates,
} from '../domain/evaluation';

export interface PeriodFigures {
  fromMs: number;
  toMs: number;
  counts: EvaluationCounts;
  rates: Rates;
}

export interface DeskFigures {
  /** The instant the figures are as of (the server's clock when it computed them). */
  at: number;
  today: PeriodFigures;
  week: PeriodFigures;
  /** How many case records the figures were computed over. */
  cases: number;
  /**
   * 准确派遣率 of the cases first dispatched today / this week, over the same records as the
   * counts (work-rules.ts accurateDispatchRate). Absent only in a copy kept by an older console.
   */
  accurateDispatch?: { today: AccurateDispatch; week: AccurateDispatch };
}

/** The server's answer (GET /api/desk/figures): the figures of the seat's scope. */
export interface ScopeFigures extends DeskFigures {
  scopeCode: string;
}

/** What the desk shows: the last figures the server computed for this seat, and how fresh. */
export interface DeskFiguresView {
  /** Null until the server has answered once for this seat. */
  figures: ScopeFigures | null;
  /** When this console received them. */
  fetchedAt: number | null;
  /** The server could not be asked now: these are the last copy. */
  stale: boolean;
}

export function weekStartShanghai(now: number): number {
  const day = startOfDayShanghai(now);
  const sinceMonday = (dayOfWeek(shanghaiDayIndex(now)) + 6) % 7;
  return day - sinceMonday * DAY_MS;
}

/** Today's and this week's periods at `now`: [from, to) in epoch ms. */
export function deskPeriods(now: number): { today: [number, number]; week: [number, number] } {
  const day = startOfDayShanghai(now);
  const week = weekStartShanghai(now);
  return { today: [day, day + DAY_MS], week: [week, week + 7 * DAY_MS] };
}

export function deskFigures(cases: readonly EvaluationCase[], now: number): DeskFigures {
  const p = deskPeriods(now);
  const period = ([fromMs, toMs]: [number, number]): PeriodFigures => {
    const counts = countsForPeriod(cases, fromMs, toMs, now);
    return { fromMs, toMs, counts, rates: rates(counts) };
  };
  // the cases first dispatched in the period, each with its returns (accurateDispatchByTown's rule)
  const accurate = ([fromMs, toMs]: [number, number]): AccurateDispatch =>
    accurateDispatchRate(
      cases.filter((c) => c.dispatchedAt !== null && c.dispatchedAt >= fromMs && c.dispatchedAt < toMs),
    );
  return {
    at: now,
    today: period(p.today),
    week: period(p.week),
    cases: cases.length,
    accurateDispatch: { today: accurate(p.today), week: accurate(p.week) },
  };
}

const Count = z.number().int().nonnegative();
const CountsSchema = z.strictObject(
  Object.fromEntries(Object.keys(emptyCounts()).map((k) => [k, Count])) as Record<
    keyof EvaluationCounts,
    typeof Count
  >,
);
const Instant = z.number().int().nonnegative();
const PeriodSchema = z.object({ fromMs: Instant, toMs: Instant, counts: CountsSchema });
const AccurateSchema = z
  .object({ assignments: Count, returned: Count })
  .refine((a) => a.returned <= a.assignments, 'more returns than assignments');

/** The server's answer as the console checks it; rates are recomputed from the counts. */
export const ScopeFiguresSchema = z.object({
  scopeCode: z.string().regex(/^\d{4,15}$/),
  at: Instant,
  cases: Count,
  today: PeriodSchema,
  week: PeriodSchema,
  accurateDispatch: z.object({ today: AccurateSchema, week: AccurateSchema }).optional(),
});

/**
 * A checked server answer with its rates taken from its counts (rates() refuses counts that
 * cannot come from countsForPeriod), or null when it is not one.
 */
export function parseScopeFigures(raw: unknown): ScopeFigures | null {
  const parsed = ScopeFiguresSchema.safeParse(raw);
  if (!parsed.success) return null;
  const d = parsed.data;
  try {
    const period = (p: typeof d.today): PeriodFigures => ({ ...p, rates: rates(p.counts) });
    const accurate = ({ assignments, returned }: { assignments: number; returned: number }) => ({
      assignments,
      returned,
      rate: assignments === 0 ? null : (assignments - returned) / assignments,
    });
    const a = d.accurateDispatch;
    return {
      scopeCode: d.scopeCode,
      at: d.at,
      cases: d.cases,
      today: period(d.today),
      week: period(d.week),
      ...(a ? { accurateDispatch: { today: accurate(a.today), week: accurate(a.week) } } : {}),
    };
  } catch {
    return null;
  }
}
