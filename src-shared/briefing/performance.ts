// Rates per area and department for a week (evaluation.ts formulas on the rollups' counts), and
// the call-in list 约谈: areas worse than their scope's average for several consecutive weeks.
//
// "Below the average" needs two things each week, so that neither a big area's trivial
// shortfall nor a small area's noise puts it on the list:
// - the shortfall is at least `margin` (rates: a proportion, default 0.05 = 5 points; the
//   composite: score points, default 3), and
// - for a single rate, it is significant: one-sided z-test of the area's proportion against the
//   scope's, p < `alpha` (default 0.01) — with ≥ 3 weeks required in a row, an area at the
//   average is listed by noise alone with a chance of ~1e-6 per window. 0.01 rather than 0.05
//   because weekly rates of one area are not independent (the open backlog carries over), and
//   at 0.05 the demo history's 609 villages put ~1 village a week on the list for no planted
//   reason (at 0.01: none in 43 weeks);
// - and the area has at least `minDenominator` cases in the rate's denominator that week.
// The scope's average is its pooled rate (Σ numerators / Σ denominators), the figure the city
// would report for itself.

import type { EvaluationCounts, RateName, RateWeights, Rates } from '../domain/evaluation';
import {
  addCounts,
  compositeScore,
  DEFAULT_WEIGHTS,
  emptyCounts,
  LOWER_IS_BETTER,
  RATE_PARTS,
  rates,
} from '../domain/evaluation';
import type { BriefingDims, ResolvedScope } from './dims';
import type { Texts } from './explain';
import { callInText } from './explain';
import type { BriefingRollups } from './rollups';
import { normalUpperTail } from './stats';
import { isoWeekLabel } from './weeks';

export interface RateRow {
  code: string;
  name: string;
  level: 'city' | 'town' | 'village' | 'department';
  counts: EvaluationCounts;
  rates: Rates;
  /** Composite score 0–100 (evaluation.ts compositeScore), null when no weighted rate exists. */
  composite: number | null;
}

export interface RateTables {
  scope: RateRow;
  /** Towns (city scope) or villages (town scope); empty at village scope. */
  areas: RateRow[];
  /** Departments that handled cases in the scope that week. */
  departments: RateRow[];
}

function scoreOf(r: Rates, weights: RateWeights): number | null {
  const s = compositeScore(r, weights);
  return s.ok ? s.value.score : null;
}

function row(
  code: string,
  name: string,
  level: RateRow['level'],
  counts: EvaluationCounts,
  weights: RateWeights,
): RateRow {
  const r = rates(counts);
  return { code, name, level, counts, rates: r, composite: scoreOf(r, weights) };
}

/** Counts of the scope's areas (index = area) and of the scope itself for one week. */
export function areaCounts(
  rollups: BriefingRollups,
  scope: ResolvedScope,
  week: number,
): { areas: EvaluationCounts[]; scope: EvaluationCounts } {
  if (scope.areas.length === 0) {
    const [c] = rollups.evaluationCounts(week, 1, (v) => (scope.inScope[v] === 1 ? 0 : -1));
    return { areas: [], scope: c };
  }
  const areas = rollups.evaluationCounts(week, scope.areas.length, (v) => scope.areaOf[v]);
  return { areas, scope: areas.reduce(addCounts, emptyCounts()) };
}

export function rateTables(
  rollups: BriefingRollups,
  scope: ResolvedScope,
  week: number,
  weights: RateWeights = DEFAULT_WEIGHTS,
): RateTables {
  const d: BriefingDims = rollups.dims;
  const { areas, scope: total } = areaCounts(rollups, scope, week);
  const deps = rollups.evaluationCounts(week, d.nDepartments, (v, slot) =>
    scope.inScope[v] === 1 && slot < d.nDepartments ? slot : -1,
  );
  return {
    scope: row(scope.code, scope.name, scope.level, total, weights),
    areas: scope.areas.map((a, i) => row(a.code, a.name, a.level, areas[i], weights)),
    departments: d.data.departments
      .map((dep, i) => ({ dep, c: deps[i] }))
      .filter(({ c }) => c.dispatched + c.dueForClosure > 0)
      .map(({ dep, c }) => row(dep.code, dep.nameZh, 'department', c, weights)),
  };
}

export type CallInMeasure = RateName | 'composite';

export interface CallInOptions {
  measure: CallInMeasure;
  consecutiveWeeks: number;
  /** Shortfall needed: a proportion for rates (default 0.05), score points for the composite (default 3). */
  margin?: number;
  /** One-sided significance of each week's shortfall (rates only). */
  alpha: number;
  /** Smallest denominator (due for closure; dispatched; registered) an area needs that week. */
  minDenominator: number;
  weights: RateWeights;
  /** How many weeks back to look for the length of a streak. */
  lookbackWeeks: number;
}

export const DEFAULT_CALL_IN_OPTIONS: Readonly<CallInOptions> = {
  measure: 'onTimeClosureRate',
  consecutiveWeeks: 3,
  alpha: 0.01,
  minDenominator: 30,
  weights: DEFAULT_WEIGHTS,
  lookbackWeeks: 12,
};

export interface CallInWeek {
  week: number;
  label: string;
  value: number | null;
  scopeValue: number | null;
  /** How much worse than the scope (positive = worse), in the measure's unit. */
  shortfall: number | null;
  denominator: number;
  /** One-sided p of the shortfall (rates), null for the composite. */
  p: number | null;
  below: boolean;
}

export interface CallInItem {
  code: string;
  name: string;
  level: 'town' | 'village';
  measure: CallInMeasure;
  /** Consecutive weeks below, ending with the chosen week. */
  streak: number;
  /** The chosen week and the weeks before it (oldest first). */
  weeks: CallInWeek[];
  text: Texts;
}

function judge(
  measure: CallInMeasure,
  area: EvaluationCounts,
  scope: EvaluationCounts,
  o: CallInOptions,
): Omit<CallInWeek, 'week' | 'label'> {
  if (measure === 'composite') {
    const margin = o.margin ?? 3;
    const a = scoreOf(rates(area), o.weights);
    const s = scoreOf(rates(scope), o.weights);
    const den = area.dueForClosure;
    if (a === null || s === null)
      return { value: a, scopeValue: s, shortfall: null, denominator: den, p: null, below: false };
    const shortfall = s - a;
    return {
      value: a,
      scopeValue: s,
      shortfall,
      denominator: den,
      p: null,
      below: den >= o.minDenominator && shortfall >= margin,
    };
  }
  const margin = o.margin ?? 0.05;
  const [num, denKey] = RATE_PARTS[measure];
  const n = area[denKey];
  const N = scope[denKey];
  if (n === 0 || N === 0) {
    return {
      value: null,
      scopeValue: N === 0 ? null : scope[num] / N,
      shortfall: null,
      denominator: n,
      p: null,
      below: false,
    };
  }
  const p = area[num] / n;
  const p0 = scope[num] / N;
  const worse = LOWER_IS_BETTER.has(measure) ? p - p0 : p0 - p;
  const se = Math.sqrt((p0 * (1 - p0)) / n);
  const pValue = se > 0 ? normalUpperTail(worse / se) : worse > 0 ? 0 : 1;
  return {
    value: p,
    scopeValue: p0,
    shortfall: worse,
    denominator: n,
    p: pValue,
    below: n >= o.minDenominator && worse >= margin && pValue < o.alpha,
  };
}

/** Areas of the scope below its average for ≥ consecutiveWeeks weeks ending with `week`. */
export function callInList(
  rollups: BriefingRollups,
  scope: ResolvedScope,
  week: number,
  options: Partial<CallInOptions> = {},
): CallInItem[] {
  const o: CallInOptions = { ...DEFAULT_CALL_IN_OPTIONS, ...options };
  if (scope.areas.length === 0) return [];
  const look = Math.max(o.lookbackWeeks, o.consecutiveWeeks);
  const perWeek: Array<{ areas: EvaluationCounts[]; scope: EvaluationCounts }> = [];
  for (let w = week - look + 1; w <= week; w++) perWeek.push(areaCounts(rollups, scope, w));
  const out: CallInItem[] = [];
  scope.areas.forEach((a, i) => {
    const weeks: CallInWeek[] = perWeek.map((pw, k) => ({
      week: week - look + 1 + k,
      label: isoWeekLabel(week - look + 1 + k),
      ...judge(o.measure, pw.areas[i], pw.scope, o),
    }));
    let streak = 0;
    for (let k = weeks.length - 1; k >= 0 && weeks[k].below; k--) streak++;
    if (streak < o.consecutiveWeeks) return;
    const last = weeks[weeks.length - 1];
    out.push({
      code: a.code,
      name: a.name,
      level: a.level,
      measure: o.measure,
      streak,
      weeks,
      text: callInText(a.name, scope.name, o.measure, streak, last.value ?? 0, last.scopeValue ?? 0),
    });
  });
  out.sort(
    (x, y) =>
      y.streak - x.streak ||
      (y.weeks[y.weeks.length - 1].shortfall ?? 0) - (x.weeks[x.weeks.length - 1].shortfall ?? 0),
  );
  return out;
}
