// Evaluation figures 综合评价 (DOMAIN.md "Time limits and evaluation"), pure.
//
// Rates (standard formulas, each a number in [0, 1], or null when its denominator is 0):
//   closure rate 结案率            = closed / dueForClosure
//   on-time closure rate 按期结案率 = closedOnTime / dueForClosure
//   rework rate 返工率             = reworked / dueForClosure
//   on-time dispatch rate 按时派遣率 = dispatchedOnTime / dispatched
//   missed-report rate 漏报率      = publicFirst / registered
// where dueForClosure 应结案数 = closed (handled) + overdueOpen (open and past the deadline), so
// open overdue cases count against the closure rates.
//
// Which cases count in a period [periodStartMs, periodEndMs) — evaluated as a snapshot at the
// cut-off = min(periodEndMs, nowMs), so a finished period always gives the same figures:
// - closed        closedAt in [start, cutoff).
// - closedOnTime  closed, and `closedOnTime` when the record has it, else dueAt is null (no
//                 handling deadline, e.g. self-handled) or closedAt ≤ dueAt.
// - overdueOpen   not closed and not voided before the cut-off, with dueAt < cutoff. This is
//                 the backlog: a case still open and overdue counts in every period until it is
//                 closed, and then counts once more, as closed late, in the period of closing.
//                 A voided case is never due (voidedAt before the cut-off, or state 'voided'
//                 when the record has no voidedAt).
//                 dueAt null (never dispatched, or held by an open suspension) is never overdue.
// - dueForClosure closed + overdueOpen.
// - reworked      cases of dueForClosure with reworkCount > 0 (cases, not rework events).
// - reported      reportedAt in [start, cutoff).
// - registered    registeredAt in [start, cutoff) — 立案: verified, or filed already handled.
// - publicFirst   registered ones whose first reporter was the public (citizen, 12345 hotline):
//                 the problem was in the grid and the officer did not find it first. The rate is
//                 per officer's grid only if the caller passes that grid's cases.
// - dispatched    dispatchedAt (first dispatch) in [start, cutoff).
// - dispatchedOnTime dispatched within the dispatch limit of its priority (deadline.ts).
// Counts are additive, so per-grid rollups can be summed (addCounts) before taking rates.
// Field names follow protocol/entities.ts Case, so Case records can be passed as they are.

import type { CaseSource, CaseState, Priority } from './case-model';
import { isValidCode, isWithin } from './codes';
import { dispatchedOnTime } from './deadline';

export type FirstReporterKind = 'officer' | 'public' | 'other';

export interface EvaluationCase {
  reportedAt: number;
  priority: Priority;
  source: CaseSource;
  /** Who reported the problem first once duplicates were merged; derived from `source` if absent. */
  firstReporterKind?: FirstReporterKind;
  registeredAt: number | null;
  /** First dispatch. */
  dispatchedAt: number | null;
  /** Current handling deadline; null when there is none or an open suspension holds it. */
  dueAt: number | null;
  closedAt: number | null;
  /** Recorded verdict at closing; overrides the closedAt ≤ dueAt derivation. */
  closedOnTime?: boolean;
  voidedAt?: number | null;
  /** A record that says 'voided' without a voidedAt counts as voided before any cut-off. */
  state?: CaseState;
  reworkCount: number;
}

export interface EvaluationCounts {
  reported: number;
  registered: number;
  publicFirst: number;
  dispatched: number;
  dispatchedOnTime: number;
  closed: number;
  closedOnTime: number;
  overdueOpen: number;
  dueForClosure: number;
  reworked: number;
}

export const RATE_NAMES = [
  'closureRate',
  'onTimeClosureRate',
  'reworkRate',
  'onTimeDispatchRate',
  'missedReportRate',
] as const;
export type RateName = (typeof RATE_NAMES)[number];
export type Rates = Record<RateName, number | null>;

/** Rates where a higher value is worse; the composite score uses 1 − rate for them. */
export const LOWER_IS_BETTER: ReadonlySet<RateName> = new Set<RateName>(['reworkRate', 'missedReportRate']);

export function firstReporterKindOf(source: CaseSource): FirstReporterKind {
  switch (source) {
    case 'patrol':
    case 'inspection':
      return 'officer';
    case 'citizen':
    case 'hotline':
      return 'public';
    case 'video':
    case 'department':
    case 'higher_level':
      return 'other';
  }
}

export function emptyCounts(): EvaluationCounts {
  return {
    reported: 0,
    registered: 0,
    publicFirst: 0,
    dispatched: 0,
    dispatchedOnTime: 0,
    closed: 0,
    closedOnTime: 0,
    overdueOpen: 0,
    dueForClosure: 0,
    reworked: 0,
  };
}

export function addCounts(a: EvaluationCounts, b: EvaluationCounts): EvaluationCounts {
  const sum = emptyCounts();
  for (const key of Object.keys(sum) as Array<keyof EvaluationCounts>) sum[key] = a[key] + b[key];
  return sum;
}

const inRange = (t: number | null | undefined, start: number, end: number): t is number =>
  t !== null && t !== undefined && t >= start && t < end;

/** Classifies case records into the period's counts (rules in the header). */
export function countsForPeriod(
  cases: Iterable<EvaluationCase>,
  periodStartMs: number,
  periodEndMs: number,
  nowMs: number,
): EvaluationCounts {
  if (!(periodStartMs <= periodEndMs)) {
    throw new RangeError(`period start ${periodStartMs} must not be after its end ${periodEndMs}`);
  }
  const cutoff = Math.min(periodEndMs, nowMs);
  const c = emptyCounts();
  for (const k of cases) {
    if (inRange(k.reportedAt, periodStartMs, cutoff)) c.reported++;
    if (inRange(k.registeredAt, periodStartMs, cutoff)) {
      c.registered++;
      if ((k.firstReporterKind ?? firstReporterKindOf(k.source)) === 'public') c.publicFirst++;
    }
    if (inRange(k.dispatchedAt, periodStartMs, cutoff)) {
      c.dispatched++;
      if (dispatchedOnTime(k.reportedAt, k.dispatchedAt, k.priority)) c.dispatchedOnTime++;
    }

    let due = false;
    if (inRange(k.closedAt, periodStartMs, cutoff)) {
      c.closed++;
      due = true;
      const onTime = k.closedOnTime ?? (k.dueAt === null || k.closedAt <= k.dueAt);
      if (onTime) c.closedOnTime++;
    } else {
      const openAtCutoff = k.closedAt === null || k.closedAt >= cutoff;
      const voided =
        k.voidedAt !== null && k.voidedAt !== undefined ? k.voidedAt < cutoff : k.state === 'voided';
      if (openAtCutoff && !voided && k.dueAt !== null && k.dueAt < cutoff) {
        c.overdueOpen++;
        due = true;
      }
    }
    if (due) {
      c.dueForClosure++;
      if (k.reworkCount > 0) c.reworked++;
    }
  }
  return c;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * Rates from counts. Counts that cannot come from countsForPeriod/addCounts (negative,
 * fractional, a numerator above its denominator, dueForClosure ≠ closed + overdueOpen) mean a
 * corrupt rollup; that is thrown as a RangeError rather than shown as a rate above 100%.
 */
export function rates(counts: EvaluationCounts): Rates {
  for (const [key, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`count ${key} = ${value} is not a non-negative integer`);
  }
  const pairs: Array<[keyof EvaluationCounts, keyof EvaluationCounts]> = [
    ['closed', 'dueForClosure'],
    ['closedOnTime', 'closed'],
    ['reworked', 'dueForClosure'],
    ['dispatchedOnTime', 'dispatched'],
    ['publicFirst', 'registered'],
  ];
  for (const [n, d] of pairs) {
    if (counts[n] > counts[d]) throw new RangeError(`count ${n} = ${counts[n]} exceeds ${d} = ${counts[d]}`);
  }
  if (counts.dueForClosure !== counts.closed + counts.overdueOpen) {
    throw new RangeError(
      `dueForClosure = ${counts.dueForClosure} but closed + overdueOpen = ${counts.closed + counts.overdueOpen}`,
    );
  }
  return {
    closureRate: ratio(counts.closed, counts.dueForClosure),
    onTimeClosureRate: ratio(counts.closedOnTime, counts.dueForClosure),
    reworkRate: ratio(counts.reworked, counts.dueForClosure),
    onTimeDispatchRate: ratio(counts.dispatchedOnTime, counts.dispatched),
    missedReportRate: ratio(counts.publicFirst, counts.registered),
  };
}

// ---------------------------------------------------------------------------------------------
// Composite score: weights differ by city, so they are configuration.

export type RateWeights = Partial<Record<RateName, number>>;

/** Illustrative default; each city configures its own table (weightsForCode). */
export const DEFAULT_WEIGHTS: Readonly<Record<RateName, number>> = {
  closureRate: 0.3,
  onTimeClosureRate: 0.3,
  reworkRate: 0.15,
  onTimeDispatchRate: 0.15,
  missedReportRate: 0.1,
};

export interface CompositeScore {
  /** 0–100, or null when no weighted rate is available. */
  score: number | null;
  /** Weight of the rates that contributed; the score is normalised by it. */
  weightUsed: number;
  /** Weighted rates left out because their denominator was 0. */
  missing: RateName[];
}

export type EvaluationErrorCode = 'UNKNOWN_RATE' | 'BAD_WEIGHT' | 'NO_WEIGHT' | 'BAD_SCOPE';
export type EvaluationResult<T> =
  { ok: true; value: T } | { ok: false; code: EvaluationErrorCode; reason: string };

function showValue(v: unknown): string {
  return typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? typeof v);
}

/** Boundary check for a weight table from configuration. */
export function validateWeights(weights: Record<string, unknown>): EvaluationResult<RateWeights> {
  const out: RateWeights = {};
  let total = 0;
  for (const [key, w] of Object.entries(weights)) {
    if (!(RATE_NAMES as readonly string[]).includes(key)) {
      return {
        ok: false,
        code: 'UNKNOWN_RATE',
        reason: `weight key ${JSON.stringify(key)} is not one of ${RATE_NAMES.join(', ')}`,
      };
    }
    // An optional key spelled out as undefined means "not weighted", same as leaving it out.
    if (w === undefined) continue;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      return {
        ok: false,
        code: 'BAD_WEIGHT',
        reason: `weight ${key} = ${showValue(w)} must be a finite number ≥ 0`,
      };
    }
    out[key as RateName] = w;
    total += w;
  }
  if (total === 0) return { ok: false, code: 'NO_WEIGHT', reason: 'at least one weight must be > 0' };
  return { ok: true, value: out };
}

/**
 * Weighted mean of the rates, oriented so higher is better (1 − rate for rework and missed
 * reports), scaled to 0–100. Rates that are null are left out and the remaining weights
 * renormalised, so a grid with no dispatches is not scored as if it dispatched late.
 */
export function compositeScore(r: Rates, weights: RateWeights): EvaluationResult<CompositeScore> {
  const valid = validateWeights(weights);
  if (!valid.ok) return valid;
  let sum = 0;
  let weightUsed = 0;
  const missing: RateName[] = [];
  for (const name of RATE_NAMES) {
    const w = valid.value[name] ?? 0;
    if (w === 0) continue;
    const rate = r[name];
    if (rate === null) {
      missing.push(name);
      continue;
    }
    sum += w * (LOWER_IS_BETTER.has(name) ? 1 - rate : rate);
    weightUsed += w;
  }
  return {
    ok: true,
    value: { score: weightUsed === 0 ? null : (100 * sum) / weightUsed, weightUsed, missing },
  };
}

/**
 * Picks the weight table of the most specific configured scope containing `code` (a town may
 * override its city), falling back to DEFAULT_WEIGHTS. Keys are division codes.
 */
export function weightsForCode(
  code: string,
  table: Readonly<Record<string, RateWeights>>,
): EvaluationResult<RateWeights> {
  if (!isValidCode(code))
    return { ok: false, code: 'BAD_SCOPE', reason: `${JSON.stringify(code)} is not a division code` };
  let best: string | null = null;
  for (const scope of Object.keys(table)) {
    if (!isValidCode(scope)) {
      return {
        ok: false,
        code: 'BAD_SCOPE',
        reason: `weight table key ${JSON.stringify(scope)} is not a division code`,
      };
    }
    if (isWithin(code, scope) && (best === null || scope.length > best.length)) best = scope;
  }
  return { ok: true, value: best === null ? { ...DEFAULT_WEIGHTS } : table[best] };
}
