// Which cells (categories, areas, time slots, category × area) rose this week beyond what
// small-number noise explains.
//
// For each cell: this week's count x against the baseline (the counts of the previous weeks,
// scaled by capacity — see capacity.ts — so a holiday week or a partly covered week is compared
// fairly), tested with riseTest (stats.ts): exact conditional test of two Poisson rates, widened
// by a negative-binomial overdispersion α estimated from the baseline weeks of the same family
// of cells. The multiple-testing family is all cells tested (in the briefing: all cells of all six
// sections together, see correctFamilies): Benjamini–Hochberg (default, false-discovery rate
// `fdr`) or Bonferroni (family-wise error `fdr`). A cell is flagged when its
// adjusted p ≤ fdr, x ≥ minCount and x / expected ≥ minRatio — the last two keep huge cells'
// statistically real but trivial drifts (a 3 % seasonal rise of 10,000 cases) off the list.
//
// Only cells with x + baseline total ≥ minCount are tested (and counted in the family size): that
// total is, under "no rise", independent of how it splits between this week and the baseline, so
// filtering on it keeps the correction valid while not spending it on cells that could never be
// flagged.

import { benjaminiHochberg, bonferroni, regularizedGammaP, riseTest } from './stats';

export interface CellSeries {
  /** This week's count per cell. */
  current: ArrayLike<number>;
  /** This week's capacity per cell. */
  capacity: ArrayLike<number>;
  /** The baseline weeks, each with counts and capacities per cell. */
  baseline: ReadonlyArray<{ counts: ArrayLike<number>; capacity: ArrayLike<number> }>;
}

export interface RisingTestOptions {
  /** Smallest count this week that may be flagged (default 10). */
  minCount: number;
  /** Smallest count / expected that may be flagged (default 1.2, i.e. +20 %). */
  minRatio: number;
  /** False-discovery rate (BH) or family-wise error rate (Bonferroni) (default 0.05). */
  fdr: number;
  correction: 'bh' | 'bonferroni';
  /** Overdispersion α: a fixed value, or 'estimate' from the baseline weeks (default). */
  alpha: number | 'estimate';
}

export const DEFAULT_RISING_OPTIONS: Readonly<RisingTestOptions> = {
  minCount: 10,
  minRatio: 1.2,
  fdr: 0.05,
  correction: 'bh',
  alpha: 'estimate',
};

export interface CellResult {
  cell: number;
  count: number;
  /** Expected count this week (baseline rate × this week's capacity). */
  expected: number;
  /** Mean count of the baseline weeks, unscaled. */
  baselineMean: number;
  ratio: number;
  /** One-sided p-value, and adjusted for the family. */
  p: number;
  pAdjusted: number;
  phi: number;
  flagged: boolean;
}

export interface FamilyResult {
  /** Cells tested (the family size of the correction). */
  tested: number;
  /** Overdispersion used. */
  alpha: number;
  /** Flagged cells, most significant first (ties: larger excess first). */
  flagged: CellResult[];
  /** Every tested cell, in cell order. */
  results: CellResult[];
}

/**
 * Method-of-moments estimate of the negative-binomial α (Var = μ + αμ²) from the baseline weeks:
 * per cell, μ_b = (its baseline total) × capacity_b / (its baseline capacity); Σ[(x − μ)² − μ·f]
 * / Σ[μ²·f] with f = 1 − capacity_b / total capacity (μ is estimated from the same weeks), pooled
 * over the family's cells. Cells averaging < 1 a week carry no information and are skipped.
 *
 * A real change inside the baseline (last week's rise) would inflate it, so it is estimated twice:
 * the second time without the cells whose own Pearson statistic is beyond the 0.999 quantile of
 * χ² under the first estimate. Under the model that drops 0.1 % of cells, so the estimate stays
 * unbiased — trimming a fixed share instead biases it low, and the test's false-positive rate is
 * sensitive to that (a 20 % low α doubled it in simulation).
 */
export function estimateOverdispersion(series: Pick<CellSeries, 'baseline'>, nCells: number): number {
  const B = series.baseline.length;
  if (B < 3) return 0;
  const rows: Array<{ num: number; den: number; chi: number; df: number; mean: number }> = [];
  for (let c = 0; c < nCells; c++) {
    let S = 0;
    let K = 0;
    for (const wk of series.baseline) {
      S += wk.counts[c];
      K += wk.capacity[c];
    }
    if (K <= 0 || S < B) continue;
    let num = 0;
    let den = 0;
    let chi = 0;
    let df = 0;
    for (const wk of series.baseline) {
      const k = wk.capacity[c];
      if (k <= 0) continue;
      const mu = (S * k) / K;
      const f = 1 - k / K;
      const r = wk.counts[c] - mu;
      num += r * r - mu * f;
      den += mu * mu * f;
      chi += (r * r) / mu;
      df += f;
    }
    if (den > 0 && df > 0) rows.push({ num, den, chi, df, mean: S / B });
  }
  const pooled = (keep: (r: (typeof rows)[number]) => boolean): number => {
    let num = 0;
    let den = 0;
    for (const r of rows) {
      if (!keep(r)) continue;
      num += r.num;
      den += r.den;
    }
    return den > 0 ? Math.min(1, Math.max(0, num / den)) : 0;
  };
  const first = pooled(() => true);
  return pooled((r) => 1 - regularizedGammaP(r.df / 2, r.chi / (2 * (1 + first * r.mean))) >= 0.001);
}

/** Tests every cell of one family; pAdjusted and flagged are left for correctFamilies. */
export function scoreCells(series: CellSeries, options: Partial<RisingTestOptions> = {}): FamilyResult {
  const o = { ...DEFAULT_RISING_OPTIONS, ...options };
  const n = series.current.length;
  const alpha = o.alpha === 'estimate' ? estimateOverdispersion(series, n) : o.alpha;
  const results: CellResult[] = [];
  for (let c = 0; c < n; c++) {
    const x = series.current[c];
    const cap = series.capacity[c];
    let S = 0;
    let K = 0;
    let weeks = 0;
    for (const wk of series.baseline) {
      if (wk.capacity[c] <= 0) continue;
      S += wk.counts[c];
      K += wk.capacity[c];
      weeks++;
    }
    if (cap <= 0 || K <= 0 || x + S < o.minCount) continue;
    const t = riseTest({ count: x, baselineSum: S, capacity: cap, baselineCapacity: K, alpha });
    results.push({
      cell: c,
      count: x,
      expected: t.expected,
      baselineMean: S / weeks,
      ratio: t.ratio,
      p: t.p,
      pAdjusted: Number.NaN,
      phi: t.phi,
      flagged: false,
    });
  }
  return { tested: results.length, alpha, flagged: [], results };
}

/**
 * Adjusts the p-values of several families as ONE family (BH or Bonferroni over all their cells)
 * and flags: the briefing's list of rising items as a whole keeps the false-discovery rate, not
 * each of its sections separately (six sections at 5 % each would let a town's briefing carry a
 * false item in roughly one week of four).
 */
export function correctFamilies(
  families: readonly FamilyResult[],
  options: Partial<RisingTestOptions> = {},
): void {
  const o = { ...DEFAULT_RISING_OPTIONS, ...options };
  const all = families.flatMap((f) => f.results);
  const adjusted = (o.correction === 'bh' ? benjaminiHochberg : bonferroni)(all.map((r) => r.p));
  all.forEach((r, i) => {
    r.pAdjusted = adjusted[i];
    r.flagged = r.pAdjusted <= o.fdr && r.count >= o.minCount && r.ratio >= o.minRatio;
  });
  for (const f of families) {
    f.flagged = f.results.filter((r) => r.flagged);
    f.flagged.sort((a, b) => a.p - b.p || b.count - b.expected - (a.count - a.expected));
  }
}

/** One family tested and corrected on its own. */
export function testCells(series: CellSeries, options: Partial<RisingTestOptions> = {}): FamilyResult {
  const r = scoreCells(series, options);
  correctFamilies([r], options);
  return r;
}
