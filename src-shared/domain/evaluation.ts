// Evaluation figures 综合评价 (DOMAIN.md "Time limits and evaluation"), pure. The formulas as
// built, with a hand-worked example each, are in docs/formulas.md; tests/unit/evaluation.test.ts
// checks every example.
//
// Period accounting: every case belongs to a rate's denominator ONCE, in the period in which
// the deadline of that step falls (not once per period it stays open). A period [start, end) is
// evaluated as a snapshot at the cut-off = min(end, now), so a finished period always gives the
// same figures. A case voided before the cut-off (voidedAt, or state 'voided' without voidedAt)
// is in no denominator.
//
// Rates (each a number in [0, 1], or null when its denominator is 0):
//   结案率 closureRate            = closed / dueForClosure
//   按期结案率 onTimeClosureRate   = closedOnTime / dueForClosure
//   返工率 reworkRate             = reworked / dueForClosure
//   按时派遣率 onTimeDispatchRate  = dispatchedOnTime / dueForDispatch
//   漏报率 missedReportRate       = publicFirst / registered
//   按时核实率 onTimeVerifyRate    = verifiedOnTime / verified
//   按时核查率 onTimeCheckRate     = checkedOnTime / checked
//   自处置率 selfHandledRate       = selfHandled / registered
// Counts:
// - dueForClosure 应结案数: dispatched (not self-handled) cases whose handling deadline dueAt lies
//                 in [start, end), counted once dueAt < cut-off or the case closed before it
//                 (an early closure counts in the period its deadline falls in, as soon as it
//                 happens). dueAt null (no deadline, or held by an approved open suspension):
//                 not due.
// - closed        of those, closedAt < cut-off. closedOnTime: closed, and on time — the record's
//                 `closedOnTime` verdict when it has one, else the handler's feedback (feedbackAt,
//                 or closedAt when the record has none) ≤ dueAt.
// - overdueOpen   of those, not closed by the cut-off (dueAt < cut-off). dueForClosure =
//                 closed + overdueOpen.
// - reworked      cases of dueForClosure with reworkCount > 0.
// - backlog 积案  open at the cut-off, not voided, whose deadline passed before the period began
//                 (dueAt < start): reported beside the rates, in none of them.
// - dueForDispatch 应派遣数: not self-handled cases whose dispatch deadline (reportedAt + the
//                 priority's limit, deadline.ts) lies in [start, end), counted once it is
//                 < cut-off or the case was dispatched before the cut-off — so cases past their
//                 dispatch limit and still undispatched count.
// - dispatchedOnTime of those, dispatchedAt ≤ the dispatch deadline (and < cut-off).
// - dispatched    dispatchedAt (first dispatch) in [start, cut-off) (a volume, in no rate).
// - reported      reportedAt in [start, cut-off).
// - registered    registeredAt in [start, cut-off) — 立案: verified, or filed already handled
//                 (a self-handled case without registeredAt: at its report).
// - publicFirst   registered ones whose first reporter was the public (citizen, 12345 hotline).
// - selfHandled   registered ones handled on the spot (前置处理/自处置).
// - verified      registered ones that were not self-handled (a desk verified them 核实);
//                 verifiedOnTime: registeredAt − reportedAt ≤ VERIFY_LIMIT_MS[priority].
// - checked       closed (closedAt in [start, cut-off)) after a handler's feedback (feedbackAt
//                 known, not self-handled); checkedOnTime: closedAt − feedbackAt ≤
//                 CHECK_LIMIT_MS[priority] (核查 by the checking desk).
// Counts are additive, so per-grid rollups can be summed (addCounts) before taking rates.
// Field names follow protocol/entities.ts Case, so Case records can be passed as they are.

import type { CaseSource, CaseState, Priority } from './case-model';
import { isValidCode, isWithin } from './codes';
import { dispatchDueAt } from './deadline';

export type FirstReporterKind = 'officer' | 'public' | 'other';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Natural-time limit from report to registration 核实/立案, by priority. */
export const VERIFY_LIMIT_MS: Readonly<Record<Priority, number>> = {
  emergency: 10 * MINUTE_MS,
  urgent: 30 * MINUTE_MS,
  normal: 2 * HOUR_MS,
};

/** Natural-time limit from the handler's feedback to the checked closure 核查结案, by priority. */
export const CHECK_LIMIT_MS: Readonly<Record<Priority, number>> = {
  emergency: 2 * HOUR_MS,
  urgent: 4 * HOUR_MS,
  normal: 24 * HOUR_MS,
};

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
  /** Handler's feedback 处理反馈 (the last one); on-time handling is judged here. */
  feedbackAt?: number | null;
  closedAt: number | null;
  /** Recorded verdict at closing; overrides the feedback ≤ dueAt derivation. */
  closedOnTime?: boolean;
  /** Handled on the spot by the finder (前置处理): in no dispatch or closure denominator. */
  selfHandled?: boolean;
  voidedAt?: number | null;
  /** A record that says 'voided' without a voidedAt counts as voided before any cut-off. */
  state?: CaseState;
  reworkCount: number;
  /** Approved returns 退单, each followed by a re-dispatch (准确派遣率, work-rules.ts). */
  returnCount?: number;
  /** Returned and not dispatched again yet: its last return has no re-dispatch to count. */
  awaitingRedispatch?: boolean;
}

export interface EvaluationCounts {
  reported: number;
  registered: number;
  publicFirst: number;
  selfHandled: number;
  verified: number;
  verifiedOnTime: number;
  dispatched: number;
  dueForDispatch: number;
  dispatchedOnTime: number;
  closed: number;
  closedOnTime: number;
  overdueOpen: number;
  dueForClosure: number;
  reworked: number;
  backlog: number;
  checked: number;
  checkedOnTime: number;
}

export const RATE_NAMES = [
  'closureRate',
  'onTimeClosureRate',
  'reworkRate',
  'onTimeDispatchRate',
  'missedReportRate',
  'onTimeVerifyRate',
  'onTimeCheckRate',
  'selfHandledRate',
] as const;
export type RateName = (typeof RATE_NAMES)[number];
export type Rates = Record<RateName, number | null>;

/** Numerator and denominator of every rate (the one table the desk and the briefing share). */
export const RATE_PARTS: Readonly<
  Record<RateName, readonly [keyof EvaluationCounts, keyof EvaluationCounts]>
> = {
  closureRate: ['closed', 'dueForClosure'],
  onTimeClosureRate: ['closedOnTime', 'dueForClosure'],
  reworkRate: ['reworked', 'dueForClosure'],
  onTimeDispatchRate: ['dispatchedOnTime', 'dueForDispatch'],
  missedReportRate: ['publicFirst', 'registered'],
  onTimeVerifyRate: ['verifiedOnTime', 'verified'],
  onTimeCheckRate: ['checkedOnTime', 'checked'],
  selfHandledRate: ['selfHandled', 'registered'],
};

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
    selfHandled: 0,
    verified: 0,
    verifiedOnTime: 0,
    dispatched: 0,
    dueForDispatch: 0,
    dispatchedOnTime: 0,
    closed: 0,
    closedOnTime: 0,
    overdueOpen: 0,
    dueForClosure: 0,
    reworked: 0,
    backlog: 0,
    checked: 0,
    checkedOnTime: 0,
  };
}

export function addCounts(a: EvaluationCounts, b: EvaluationCounts): EvaluationCounts {
  const sum = emptyCounts();
  for (const key of Object.keys(sum) as Array<keyof EvaluationCounts>) sum[key] = a[key] + b[key];
  return sum;
}

const inRange = (t: number | null | undefined, start: number, end: number): t is number =>
  t !== null && t !== undefined && t >= start && t < end;
const before = (t: number | null | undefined, cutoff: number): t is number =>
  t !== null && t !== undefined && t < cutoff;

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
    const self = k.selfHandled === true;
    // a self-handled case is filed already handled: registered at its report when not recorded
    const registeredAt = k.registeredAt ?? (self ? k.reportedAt : null);
    if (inRange(k.reportedAt, periodStartMs, cutoff)) c.reported++;
    if (inRange(registeredAt, periodStartMs, cutoff)) {
      c.registered++;
      if ((k.firstReporterKind ?? firstReporterKindOf(k.source)) === 'public') c.publicFirst++;
      if (self) c.selfHandled++;
      else {
        c.verified++;
        if (registeredAt - k.reportedAt <= VERIFY_LIMIT_MS[k.priority]) c.verifiedOnTime++;
      }
    }
    if (inRange(k.dispatchedAt, periodStartMs, cutoff)) c.dispatched++;
    const voided =
      k.voidedAt !== null && k.voidedAt !== undefined ? k.voidedAt < cutoff : k.state === 'voided';
    if (voided || self) continue;

    // dispatch: in the period of its dispatch deadline
    const dispatchDue = dispatchDueAt(k.reportedAt, k.priority);
    const dispatchedBy = before(k.dispatchedAt, cutoff) ? k.dispatchedAt : null;
    if (inRange(dispatchDue, periodStartMs, periodEndMs) && (dispatchDue < cutoff || dispatchedBy !== null)) {
      c.dueForDispatch++;
      if (dispatchedBy !== null && dispatchedBy <= dispatchDue) c.dispatchedOnTime++;
    }

    // closure: in the period of its handling deadline
    const closedBy = before(k.closedAt, cutoff) ? k.closedAt : null;
    if (k.dueAt !== null) {
      if (inRange(k.dueAt, periodStartMs, periodEndMs) && (k.dueAt < cutoff || closedBy !== null)) {
        c.dueForClosure++;
        if (k.reworkCount > 0) c.reworked++;
        if (closedBy !== null) {
          c.closed++;
          const handledAt = k.feedbackAt ?? closedBy;
          if (k.closedOnTime ?? handledAt <= k.dueAt) c.closedOnTime++;
        } else c.overdueOpen++;
      } else if (k.dueAt < periodStartMs && closedBy === null) c.backlog++;
    }

    // check: closures in the period after a handler's feedback
    if (inRange(k.closedAt, periodStartMs, cutoff) && k.feedbackAt !== null && k.feedbackAt !== undefined) {
      c.checked++;
      if (k.closedAt - k.feedbackAt <= CHECK_LIMIT_MS[k.priority]) c.checkedOnTime++;
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
  const pairs: Array<readonly [keyof EvaluationCounts, keyof EvaluationCounts]> = [
    ...Object.values(RATE_PARTS),
    ['closedOnTime', 'closed'],
    ['verifiedOnTime', 'verified'],
    ['checkedOnTime', 'checked'],
  ];
  for (const [n, d] of pairs) {
    if (counts[n] > counts[d]) throw new RangeError(`count ${n} = ${counts[n]} exceeds ${d} = ${counts[d]}`);
  }
  if (counts.dueForClosure !== counts.closed + counts.overdueOpen) {
    throw new RangeError(
      `dueForClosure = ${counts.dueForClosure} but closed + overdueOpen = ${counts.closed + counts.overdueOpen}`,
    );
  }
  const out = {} as Rates;
  for (const name of RATE_NAMES) out[name] = ratio(counts[RATE_PARTS[name][0]], counts[RATE_PARTS[name][1]]);
  return out;
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
  // reported beside the composite, not in it by default
  onTimeVerifyRate: 0,
  onTimeCheckRate: 0,
  selfHandledRate: 0,
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
