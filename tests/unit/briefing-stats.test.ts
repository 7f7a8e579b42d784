import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src-shared/domain/geo';
import {
  benjaminiHochberg,
  binomialUpperTail,
  bonferroni,
  logGamma,
  normalUpperTail,
  poissonUpperTail,
  regularizedBeta,
  regularizedGammaP,
  riseTest,
} from '../../src-shared/briefing/stats';
import { estimateOverdispersion, testCells, type CellSeries } from '../../src-shared/briefing/rising';

// ---- samplers for the simulations (test-only)

/** Poisson: multiplication for small λ, PTRS (Hörmann 1993) above. */
function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = rng.next();
    while (p > l) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -lambda + k * loglam - logGamma(k + 1)
    ) {
      return k;
    }
  }
}

/** Gamma(shape, 1) by Marsaglia–Tsang. */
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Negative binomial with mean μ and Var = μ + αμ² (gamma–Poisson mixture). */
function negBin(rng: Rng, mu: number, alpha: number): number {
  return poisson(rng, mu * gamma(rng, 1 / alpha) * alpha);
}

function directBinomialTail(k: number, n: number, p: number): number {
  let s = 0;
  for (let i = k; i <= n; i++)
    s += Math.exp(
      logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p),
    );
  return s;
}

function directPoissonTail(k: number, lambda: number): number {
  let below = 0;
  for (let i = 0; i < k; i++) below += Math.exp(-lambda + i * Math.log(lambda) - logGamma(i + 1));
  return 1 - below;
}

describe('special functions', () => {
  it('logGamma matches known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 10);
    expect(logGamma(171)).toBeCloseTo(706.5731, 3); // ln 170!
  });

  it('binomial and Poisson tails match direct sums', () => {
    for (const [k, n, p] of [
      [0, 10, 0.3],
      [3, 10, 0.3],
      [10, 10, 0.3],
      [20, 100, 0.1],
      [60, 300, 1 / 9],
      [1, 1, 0.5],
    ]) {
      expect(binomialUpperTail(k, n, p), `${k}/${n}/${p}`).toBeCloseTo(directBinomialTail(k, n, p), 10);
    }
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    for (const [k, lam] of [
      [0, 3],
      [1, 3],
      [5, 3],
      [40, 30],
      [70, 50],
    ]) {
      expect(poissonUpperTail(k, lam), `${k}/${lam}`).toBeCloseTo(directPoissonTail(k, lam), 10);
    }
    expect(regularizedGammaP(2, 0)).toBe(0);
    // I_x(a, b) = 1 − I_{1−x}(b, a)
    expect(regularizedBeta(0.3, 2.5, 7.25)).toBeCloseTo(1 - regularizedBeta(0.7, 7.25, 2.5), 12);
  });

  it('normal tail matches tables', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.644854)).toBeCloseTo(0.95, 6);
    expect(normalUpperTail(3.090232)).toBeCloseTo(0.001, 6);
  });

  it('Benjamini–Hochberg and Bonferroni adjust as in the textbook example', () => {
    const p = [0.01, 0.04, 0.03, 0.005];
    const bh = Array.from(benjaminiHochberg(p));
    // sorted: 0.005·4/1 = 0.02, 0.01·4/2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04 (step-up minimum)
    expect(bh.map((v) => Number(v.toFixed(10)))).toEqual([0.02, 0.04, 0.04, 0.02]);
    expect(Array.from(bonferroni(p))).toEqual([0.04, 0.16, 0.12, 0.02]);
    const withNaN = benjaminiHochberg([0.01, Number.NaN, 0.02]);
    expect(Number.isNaN(withNaN[1])).toBe(true);
    expect(withNaN[0]).toBeCloseTo(0.02, 12);
  });
});

describe('riseTest', () => {
  it('scales the baseline by capacity and is exact on small counts', () => {
    // 8 ordinary weeks (capacity 5 each) with 80 cases; this week has capacity 4 (a holiday): 8 expected.
    const r = riseTest({ count: 8, baselineSum: 80, capacity: 4, baselineCapacity: 40 });
    expect(r.expected).toBeCloseTo(8, 12);
    expect(r.ratio).toBeCloseTo(1, 12);
    expect(r.p).toBeGreaterThan(0.4);
    // exact: P(X ≥ 20 | n = 100, share 4/44)
    const s = riseTest({ count: 20, baselineSum: 80, capacity: 4, baselineCapacity: 40 });
    expect(s.p).toBeCloseTo(directBinomialTail(20, 100, 4 / 44), 12);
    expect(riseTest({ count: 0, baselineSum: 5, capacity: 1, baselineCapacity: 8 }).p).toBe(1);
    // something out of nothing: 12 this week after 8 empty weeks
    const fresh = riseTest({ count: 12, baselineSum: 0, capacity: 1, baselineCapacity: 8 });
    expect(fresh.ratio).toBe(Number.POSITIVE_INFINITY);
    expect(fresh.p).toBeLessThan(1e-10);
  });

  it('widens with overdispersion', () => {
    const base = { count: 400, baselineSum: 2400, capacity: 1, baselineCapacity: 8 };
    const poissonP = riseTest(base).p;
    const nb = riseTest({ ...base, alpha: 0.01 });
    expect(nb.phi).toBeCloseTo(1 + 0.01 * 300, 10);
    expect(nb.p).toBeGreaterThan(poissonP * 100);
  });
});

function simulateWeek(
  rng: Rng,
  lambdas: Float64Array,
  weeks: number,
  alpha = 0,
  rise?: { cell: number; factor: number },
): CellSeries {
  const n = lambdas.length;
  const draw = (mu: number) => (alpha > 0 ? negBin(rng, mu, alpha) : poisson(rng, mu));
  const ones = new Float64Array(n).fill(1);
  const baseline = Array.from({ length: weeks }, () => ({
    counts: Float64Array.from(lambdas, (l) => draw(l)),
    capacity: ones,
  }));
  const current = Float64Array.from(lambdas, (l, c) =>
    draw(rise !== undefined && rise.cell === c ? l * rise.factor : l),
  );
  return { current, capacity: ones, baseline };
}

describe('testCells on simulated weeks', () => {
  const rng = createRng('briefing-stats');
  const cells = 200;
  // expected counts from 2 to 300 a week, log-uniform: the spread of a city's category × town cells
  const lambdas = Float64Array.from({ length: cells }, () =>
    Math.exp(Math.log(2) + rng.next() * Math.log(150)),
  );

  it('flags nothing on pure Poisson noise in ≥ 95 % of 1,000 simulated weeks (BH at 5 %), raw p calibrated', () => {
    const weeks = 1000;
    let weeksWithFlags = 0;
    let tested = 0;
    let below01 = 0;
    let below05 = 0;
    for (let k = 0; k < weeks; k++) {
      const r = testCells(simulateWeek(rng, lambdas, 8));
      if (r.flagged.length > 0) weeksWithFlags++;
      for (const c of r.results) {
        tested++;
        if (c.p < 0.01) below01++;
        if (c.p < 0.05) below05++;
      }
    }
    const rate = weeksWithFlags / weeks;
    console.log(
      `pure noise: ${weeksWithFlags}/${weeks} weeks with any flag; raw p<0.05 in ${((100 * below05) / tested).toFixed(2)} %, p<0.01 in ${((100 * below01) / tested).toFixed(2)} % of ${tested} tests`,
    );
    // Under "no rise anywhere" BH keeps P(any flag) ≤ 5 %; +3 standard errors of slack for 1,000 weeks.
    expect(rate).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / weeks));
    expect(below05 / tested).toBeLessThan(0.055);
    expect(below01 / tested).toBeLessThan(0.012);
  });

  // The power of a BH-corrected test depends on how many cells share the correction; both figures
  // are stated (a city's category × town family has ~570 cells, a town's category family 16).
  for (const [family, minPower] of [
    [20, 0.9],
    [200, 0.75],
  ] as const) {
    it(`flags a 2× rise of a cell expecting 30 among ${family} cells (power ≥ ${minPower * 100} % over 400 weeks) and ranks it first`, () => {
      const lam = Float64Array.from(lambdas.subarray(0, family));
      lam[7] = 30;
      let found = 0;
      let first = 0;
      let others = 0;
      const runs = 400;
      for (let k = 0; k < runs; k++) {
        const r = testCells(simulateWeek(rng, lam, 8, 0, { cell: 7, factor: 2 }));
        if (r.flagged.some((c) => c.cell === 7)) found++;
        if (r.flagged[0]?.cell === 7) first++;
        others += r.flagged.filter((c) => c.cell !== 7).length;
      }
      console.log(
        `2× of 30 among ${family}: flagged in ${found}/${runs} weeks (first in ${first}); other flags ${others}`,
      );
      expect(found / runs).toBeGreaterThanOrEqual(minPower);
      expect(first / found).toBeGreaterThan(0.95); // when noise is flagged too, the real rise still leads
      expect(others / runs).toBeLessThan(0.1);
    });
  }

  it('does not flag a 2× rise of 3 expected: below the minimum count it is noise, not news', () => {
    const lam = Float64Array.from(lambdas);
    lam[5] = 3;
    let found = 0;
    for (let k = 0; k < 200; k++) {
      const r = testCells(simulateWeek(rng, lam, 8, 0, { cell: 5, factor: 2 }));
      if (r.flagged.some((c) => c.cell === 5)) found++;
    }
    expect(found / 200).toBeLessThan(0.05);
  });

  it('estimates the overdispersion: ≈ 0 for Poisson, ≈ α for negative binomial, and stays calibrated', () => {
    // α = 0.002 on 20–420 a week: variance 1.04–1.8 × Poisson, the range measured on the demo
    // history's cells (α ≈ 1e-4 … 1e-3 per family).
    const big = Float64Array.from({ length: cells }, () => 20 + rng.next() * 400);
    const alphas: number[] = [];
    let weeksWithFlags = 0;
    let naiveWeeks = 0;
    const runs = 400;
    for (let k = 0; k < runs; k++) {
      const s = simulateWeek(rng, big, 8, 0.002);
      alphas.push(estimateOverdispersion(s, cells));
      if (testCells(s).flagged.length > 0) weeksWithFlags++;
      if (testCells(s, { alpha: 0 }).flagged.length > 0) naiveWeeks++;
    }
    const mean = alphas.reduce((a, b) => a + b, 0) / alphas.length;
    console.log(
      `NB α = 0.002: estimated ${mean.toFixed(5)}; weeks with any flag ${weeksWithFlags}/${runs} (ignoring α: ${naiveWeeks}/${runs})`,
    );
    expect(mean).toBeGreaterThan(0.0017);
    expect(mean).toBeLessThan(0.0023);
    expect(weeksWithFlags / runs).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs));
    expect(naiveWeeks).toBeGreaterThan(2 * weeksWithFlags);
    expect(estimateOverdispersion(simulateWeek(rng, big, 8), cells)).toBeLessThan(0.0005);
  });
});
