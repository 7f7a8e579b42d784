import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, shanghaiMs } from '../../src-shared/domain/calendar';
import { CASE_SOURCES } from '../../src-shared/domain/case-model';
import {
  DEFAULT_WEIGHTS,
  LOWER_IS_BETTER,
  RATE_NAMES,
  addCounts,
  compositeScore,
  countsForPeriod,
  emptyCounts,
  firstReporterKindOf,
  rates,
  validateWeights,
  weightsForCode,
  type EvaluationCase,
  type EvaluationCounts,
  type Rates,
} from '../../src-shared/domain/evaluation';
import type { Case } from '../../src-shared/protocol/entities';

// Period: the week Mon 2025-03-03 00:00 → Mon 2025-03-10 00:00.
const START = shanghaiMs(2025, 3, 3);
const END = shanghaiMs(2025, 3, 10);
const LATER = shanghaiMs(2025, 4, 1);
const mid = (days: number, hours = 0): number => START + days * 24 * HOUR_MS + hours * HOUR_MS;

function kase(over: Partial<EvaluationCase> = {}): EvaluationCase {
  return {
    reportedAt: mid(1, 9),
    priority: 'normal',
    source: 'patrol',
    registeredAt: mid(1, 9) + 5 * MINUTE_MS,
    dispatchedAt: mid(1, 9) + 10 * MINUTE_MS,
    dueAt: mid(2, 9),
    closedAt: null,
    reworkCount: 0,
    ...over,
  };
}
const count = (cases: EvaluationCase[], now = LATER): EvaluationCounts =>
  countsForPeriod(cases, START, END, now);

describe('firstReporterKindOf', () => {
  it('maps every source', () => {
    const map = Object.fromEntries(CASE_SOURCES.map((s) => [s, firstReporterKindOf(s)]));
    expect(map).toEqual({
      patrol: 'officer',
      inspection: 'officer',
      citizen: 'public',
      hotline: 'public',
      video: 'other',
      department: 'other',
      higher_level: 'other',
    });
  });
});

describe('countsForPeriod: closure', () => {
  it('counts a case closed on time in the period', () => {
    const c = count([kase({ closedAt: mid(2, 8) })]);
    expect(c).toMatchObject({ closed: 1, closedOnTime: 1, overdueOpen: 0, dueForClosure: 1 });
  });

  it('counts a case closed late as closed but not on time', () => {
    const c = count([kase({ closedAt: mid(2, 10) })]);
    expect(c).toMatchObject({ closed: 1, closedOnTime: 0, dueForClosure: 1 });
  });

  it('closing exactly at the deadline is on time', () => {
    expect(count([kase({ closedAt: mid(2, 9) })]).closedOnTime).toBe(1);
  });

  it('a recorded closedOnTime verdict overrides the derivation both ways', () => {
    expect(count([kase({ closedAt: mid(2, 10), closedOnTime: true })]).closedOnTime).toBe(1);
    expect(count([kase({ closedAt: mid(2, 8), closedOnTime: false })]).closedOnTime).toBe(0);
  });

  it('a self-handled case is reported apart: in 自处置率, in no dispatch or closure denominator', () => {
    const c = count([
      kase({ selfHandled: true, dispatchedAt: null, dueAt: null, closedAt: mid(1, 10) }),
      kase({ closedAt: mid(2, 8) }),
    ]);
    expect(c).toMatchObject({
      closed: 1,
      dueForClosure: 1,
      dueForDispatch: 1,
      registered: 2,
      selfHandled: 1,
    });
    expect(rates(c).selfHandledRate).toBe(0.5);
  });

  it('judges on-time handling at the feedback, not at the checked closure', () => {
    // feedback before the deadline, closed by the checker after it: on time
    expect(count([kase({ feedbackAt: mid(2, 8), closedAt: mid(2, 11) })]).closedOnTime).toBe(1);
    // feedback after the deadline: late, however fast the check
    expect(count([kase({ feedbackAt: mid(2, 10), closedAt: mid(2, 10) })]).closedOnTime).toBe(0);
  });

  it('an open case past its deadline counts against the rate', () => {
    const c = count([kase({ dueAt: mid(2, 9) })]);
    expect(c).toMatchObject({ closed: 0, overdueOpen: 1, dueForClosure: 1 });
    expect(rates(c)).toMatchObject({ closureRate: 0, onTimeClosureRate: 0 });
  });

  it('an open case whose deadline is after the period end is not due yet', () => {
    expect(count([kase({ dueAt: END + 1 })])).toMatchObject({ overdueOpen: 0, dueForClosure: 0 });
    expect(count([kase({ dueAt: END })]).overdueOpen).toBe(0); // deadline at the cut-off itself
    expect(count([kase({ dueAt: END - 1 })]).overdueOpen).toBe(1);
  });

  it('an open case with no deadline (undispatched or paused) is never overdue', () => {
    expect(count([kase({ dispatchedAt: null, dueAt: null })]).overdueOpen).toBe(0);
  });

  it('an open case due before the period is backlog 积案, not counted again in the rates', () => {
    const old = kase({
      reportedAt: START - 30 * 24 * HOUR_MS,
      registeredAt: null,
      dispatchedAt: null,
      dueAt: START - 20 * 24 * HOUR_MS,
    });
    expect(count([old])).toMatchObject({ overdueOpen: 0, dueForClosure: 0, backlog: 1, reported: 0 });
    // closed during the period: no longer backlog at the cut-off, and not re-counted as closed
    expect(count([{ ...old, closedAt: mid(3) }])).toMatchObject({ backlog: 0, closed: 0, dueForClosure: 0 });
  });

  it('a case closed after the period was open and overdue at its end (snapshot), and is backlog, not due, in the next', () => {
    const c = count([kase({ dueAt: mid(2, 9), closedAt: END + HOUR_MS })]);
    expect(c).toMatchObject({ closed: 0, overdueOpen: 1 });
    const next = countsForPeriod(
      [kase({ dueAt: mid(2, 9), closedAt: END + HOUR_MS })],
      END,
      END + 7 * 24 * HOUR_MS,
      LATER,
    );
    expect(next).toMatchObject({ closed: 0, overdueOpen: 0, dueForClosure: 0, backlog: 0 });
    const next2 = countsForPeriod(
      [kase({ dueAt: mid(2, 9), closedAt: END + 8 * 24 * HOUR_MS })],
      END,
      END + 7 * 24 * HOUR_MS,
      LATER,
    );
    expect(next2).toMatchObject({ dueForClosure: 0, backlog: 1 });
  });

  it('a case closed early counts in the period its deadline falls in, as soon as it closes', () => {
    const now = mid(3); // Thu 00:00
    const early = kase({ closedAt: mid(2, 8), dueAt: END + 2 * HOUR_MS });
    expect(countsForPeriod([early], START, END, now)).toMatchObject({ dueForClosure: 0, closed: 0 });
    const next = countsForPeriod([early], END, END + 7 * 24 * HOUR_MS, now);
    expect(next).toMatchObject({ dueForClosure: 1, closed: 1, closedOnTime: 1 });
  });

  it('a case closed before the period is neither closed nor overdue in it', () => {
    expect(count([kase({ dueAt: START - 10, closedAt: START - 1 })])).toMatchObject({
      closed: 0,
      overdueOpen: 0,
    });
  });

  it('a record in state voided without voidedAt is never due', () => {
    expect(count([kase({ dueAt: mid(2, 9), state: 'voided' })]).overdueOpen).toBe(0);
    expect(count([kase({ dueAt: mid(2, 9), state: 'returned' })]).overdueOpen).toBe(1);
    // an explicit voidedAt wins over the state
    expect(count([kase({ dueAt: mid(2, 9), state: 'voided', voidedAt: END + 1 })]).overdueOpen).toBe(1);
  });

  it('accepts protocol Case records as they are', () => {
    const asEvaluationCase = (c: Case): EvaluationCase => c; // compile-time check of the field names
    const record = {
      ...kase({ closedAt: mid(2, 8) }),
      state: 'closed',
    } as unknown as Case;
    expect(count([asEvaluationCase(record)]).closed).toBe(1);
  });

  it('a case voided before the cut-off is never due; one voided after it still was', () => {
    expect(count([kase({ dueAt: mid(2, 9), voidedAt: mid(3) })]).overdueOpen).toBe(0);
    expect(count([kase({ dueAt: mid(2, 9), voidedAt: END + 1 })]).overdueOpen).toBe(1);
    expect(count([kase({ dueAt: mid(2, 9), voidedAt: null })]).overdueOpen).toBe(1);
  });

  it('counts reworked cases among those due for closure only', () => {
    const c = count([
      kase({ closedAt: mid(2, 8), reworkCount: 2 }),
      kase({ dueAt: mid(2, 9), reworkCount: 1 }), // overdue open
      kase({ dueAt: END + HOUR_MS, reworkCount: 1 }), // not due
      kase({ closedAt: mid(2, 8) }),
    ]);
    expect(c).toMatchObject({ reworked: 2, dueForClosure: 3 });
  });
});

describe('countsForPeriod: reporting and dispatch', () => {
  it('counts reports, registrations and dispatches by their own timestamps', () => {
    const c = count([
      kase(),
      kase({ reportedAt: START - 1, registeredAt: START + 1, dispatchedAt: END }),
      kase({ registeredAt: null, dispatchedAt: null }),
    ]);
    expect(c).toMatchObject({ reported: 2, registered: 2, dispatched: 1 });
  });

  it('judges dispatch on time by priority', () => {
    const r = mid(1, 9);
    const c = count([
      kase({ reportedAt: r, priority: 'emergency', dispatchedAt: r + 10 * MINUTE_MS }),
      kase({ reportedAt: r, priority: 'emergency', dispatchedAt: r + 11 * MINUTE_MS }),
      kase({ reportedAt: r, priority: 'urgent', dispatchedAt: r + 29 * MINUTE_MS }),
      kase({ reportedAt: r, priority: 'normal', dispatchedAt: r + 31 * MINUTE_MS }),
    ]);
    expect(c).toMatchObject({ dispatched: 4, dueForDispatch: 4, dispatchedOnTime: 2 });
  });

  it('应派遣数 includes the undispatched past their dispatch limit', () => {
    const r = mid(1, 9);
    const c = count([
      kase({ reportedAt: r, dispatchedAt: r + 20 * MINUTE_MS }),
      kase({ reportedAt: r, dispatchedAt: null, dueAt: null }), // never dispatched: late
      kase({ reportedAt: END - 5 * MINUTE_MS, dispatchedAt: null, dueAt: null }), // limit after the period
    ]);
    expect(c).toMatchObject({ dispatched: 1, dueForDispatch: 2, dispatchedOnTime: 1 });
    expect(rates(c).onTimeDispatchRate).toBe(0.5);
  });

  it('verification and check have their own clocks', () => {
    const r = mid(1, 9);
    const c = count([
      kase({ reportedAt: r, registeredAt: r + 2 * HOUR_MS }), // normal: 2 h is on time
      kase({ reportedAt: r, registeredAt: r + 2 * HOUR_MS + 1 }),
      kase({ reportedAt: r, priority: 'emergency', registeredAt: r + 11 * MINUTE_MS }),
      kase({ feedbackAt: mid(2, 8), closedAt: mid(3, 8) }), // normal: checked within 24 h
      kase({ feedbackAt: mid(2, 8), closedAt: mid(3, 9) }),
      kase({ closedAt: mid(2, 8) }), // no feedback recorded: not a check
    ]);
    expect(c).toMatchObject({ verified: 6, verifiedOnTime: 4, checked: 2, checkedOnTime: 1 });
    expect(rates(c)).toMatchObject({ onTimeVerifyRate: 4 / 6, onTimeCheckRate: 0.5 });
  });

  it('counts public-first registrations for the missed-report rate', () => {
    const c = count([
      kase({ source: 'citizen' }),
      kase({ source: 'hotline' }),
      kase({ source: 'patrol' }),
      kase({ source: 'video' }),
      kase({ source: 'patrol', firstReporterKind: 'public' }), // merged duplicate: a citizen was first
      kase({ source: 'citizen', firstReporterKind: 'officer' }),
      kase({ source: 'citizen', registeredAt: null }), // never registered (e.g. voided at verification)
    ]);
    expect(c).toMatchObject({ registered: 6, publicFirst: 3 });
    expect(rates(c).missedReportRate).toBe(0.5);
  });
});

describe('countsForPeriod: the cut-off', () => {
  it('uses now when the period is still running', () => {
    const now = mid(2); // Wed 00:00
    const cases = [
      kase({ dueAt: mid(1, 12) }), // overdue before now
      kase({ dueAt: mid(3) }), // will be overdue, not yet
      kase({ reportedAt: mid(4), registeredAt: mid(4), dispatchedAt: mid(4), dueAt: mid(5) }), // future record
      kase({ closedAt: mid(4), dueAt: mid(5) }), // closed after now: open at the cut-off
    ];
    const c = countsForPeriod(cases, START, END, now);
    expect(c).toMatchObject({ overdueOpen: 1, closed: 0, reported: 3, dispatched: 3 });
  });

  it('an empty period gives zeros and null rates, never NaN', () => {
    const c = countsForPeriod([kase()], START, START, LATER);
    expect(c).toEqual(emptyCounts());
    const r = rates(c);
    for (const name of RATE_NAMES) expect(r[name]).toBeNull();
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => countsForPeriod([], END, START, LATER)).toThrow(RangeError);
    expect(() => countsForPeriod([], Number.NaN, START, LATER)).toThrow(RangeError);
  });

  it('accepts any iterable', () => {
    function* gen(): Generator<EvaluationCase> {
      yield kase({ closedAt: mid(2, 8) });
      yield kase({ closedAt: mid(2, 8) });
    }
    expect(countsForPeriod(gen(), START, END, LATER).closed).toBe(2);
  });
});

describe('rates', () => {
  const counts: EvaluationCounts = {
    reported: 120,
    registered: 100,
    publicFirst: 5,
    selfHandled: 70,
    verified: 30,
    verifiedOnTime: 27,
    dispatched: 80,
    dueForDispatch: 80,
    dispatchedOnTime: 72,
    closed: 90,
    closedOnTime: 81,
    overdueOpen: 10,
    dueForClosure: 100,
    reworked: 4,
    backlog: 12,
    checked: 88,
    checkedOnTime: 66,
  };

  it('computes each standard formula', () => {
    expect(rates(counts)).toEqual({
      closureRate: 0.9,
      onTimeClosureRate: 0.81,
      reworkRate: 0.04,
      onTimeDispatchRate: 0.9,
      missedReportRate: 0.05,
      onTimeVerifyRate: 0.9,
      onTimeCheckRate: 0.75,
      selfHandledRate: 0.7,
    });
  });

  it('returns null for each rate whose denominator is 0', () => {
    const r = rates({ ...emptyCounts(), reported: 3, registered: 2, publicFirst: 1 });
    expect(r).toEqual({
      closureRate: null,
      onTimeClosureRate: null,
      reworkRate: null,
      onTimeDispatchRate: null,
      missedReportRate: 0.5,
      onTimeVerifyRate: null,
      onTimeCheckRate: null,
      selfHandledRate: 0,
    });
  });

  it.each([
    [{ closed: -1 }, 'closed = -1'],
    [{ reported: 1.5 }, 'reported = 1.5'],
    [{ dispatched: Number.NaN }, 'dispatched = NaN'],
    [{ dispatchedOnTime: 81 }, 'dispatchedOnTime = 81 exceeds dueForDispatch = 80'],
    [{ publicFirst: 101 }, 'publicFirst = 101 exceeds registered = 100'],
    [{ closedOnTime: 91 }, 'closedOnTime = 91 exceeds closed = 90'],
    [{ reworked: 101 }, 'reworked = 101 exceeds dueForClosure = 100'],
    [{ dueForClosure: 99 }, 'dueForClosure = 99 but closed + overdueOpen = 100'],
  ] as Array<[Partial<EvaluationCounts>, string]>)('refuses corrupt counts %j', (patch, message) => {
    expect(() => rates({ ...counts, ...patch })).toThrow(message);
  });

  it('stays in [0, 1] for any counts the classifier produces (random)', () => {
    let seed = 3;
    const rnd = (): number => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const pick = (): number | null =>
      rnd() < 0.3 ? null : START - 5 * 24 * HOUR_MS + Math.floor(rnd() * 20 * 24 * HOUR_MS);
    const cases: EvaluationCase[] = Array.from({ length: 2000 }, () => ({
      reportedAt: pick() ?? START,
      priority: rnd() < 0.2 ? 'emergency' : 'normal',
      source: CASE_SOURCES[Math.floor(rnd() * CASE_SOURCES.length)],
      registeredAt: pick(),
      dispatchedAt: pick(),
      dueAt: pick(),
      feedbackAt: pick(),
      closedAt: pick(),
      voidedAt: rnd() < 0.05 ? pick() : null,
      selfHandled: rnd() < 0.3,
      reworkCount: rnd() < 0.1 ? 1 : 0,
    }));
    const halves = [
      countsForPeriod(cases.slice(0, 1000), START, END, mid(5)),
      countsForPeriod(cases.slice(1000), START, END, mid(5)),
    ];
    const whole = countsForPeriod(cases, START, END, mid(5));
    expect(addCounts(halves[0], halves[1])).toEqual(whole);
    const r = rates(whole);
    for (const name of RATE_NAMES) {
      const v = r[name];
      expect(v).not.toBeNull();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});

describe('addCounts', () => {
  it('sums field by field without mutating its inputs', () => {
    const a = { ...emptyCounts(), closed: 2, dueForClosure: 3, overdueOpen: 1 };
    const b = { ...emptyCounts(), closed: 5, dueForClosure: 5, reported: 7 };
    const sum = addCounts(a, b);
    expect(sum).toEqual({ ...emptyCounts(), closed: 7, dueForClosure: 8, overdueOpen: 1, reported: 7 });
    expect(a.closed).toBe(2);
    expect(addCounts(emptyCounts(), emptyCounts())).toEqual(emptyCounts());
  });
});

describe('compositeScore', () => {
  const extra = { onTimeVerifyRate: null, onTimeCheckRate: null, selfHandledRate: null };
  const perfect: Rates = {
    closureRate: 1,
    onTimeClosureRate: 1,
    reworkRate: 0,
    onTimeDispatchRate: 1,
    missedReportRate: 0,
    ...extra,
  };
  const worst: Rates = {
    closureRate: 0,
    onTimeClosureRate: 0,
    reworkRate: 1,
    onTimeDispatchRate: 0,
    missedReportRate: 1,
    ...extra,
  };

  it('orients the rates so 100 is best and 0 worst', () => {
    expect(LOWER_IS_BETTER).toEqual(new Set(['reworkRate', 'missedReportRate']));
    expect(compositeScore(perfect, DEFAULT_WEIGHTS)).toEqual({
      ok: true,
      value: { score: 100, weightUsed: 1, missing: [] },
    });
    const w = compositeScore(worst, DEFAULT_WEIGHTS);
    expect(w.ok && w.value.score).toBe(0);
  });

  it('is the weighted mean', () => {
    const r: Rates = {
      closureRate: 0.8,
      onTimeClosureRate: 0.6,
      reworkRate: 0.1,
      onTimeDispatchRate: 0.5,
      missedReportRate: 0.2,
      ...extra,
    };
    const s = compositeScore(r, { closureRate: 1, reworkRate: 3 });
    // (1·0.8 + 3·0.9) / 4 = 0.875
    expect(s.ok && s.value.score).toBeCloseTo(87.5, 10);
    expect(s.ok && s.value.weightUsed).toBe(4);
  });

  it("gives different scores for different cities' weights", () => {
    const r: Rates = {
      closureRate: 0.95,
      onTimeClosureRate: 0.7,
      reworkRate: 0.2,
      onTimeDispatchRate: 0.99,
      missedReportRate: 0.3,
      ...extra,
    };
    const a = compositeScore(r, { closureRate: 1 });
    const b = compositeScore(r, { onTimeClosureRate: 1, missedReportRate: 1 });
    expect(a.ok && a.value.score).toBeCloseTo(95, 10);
    expect(b.ok && b.value.score).toBeCloseTo(70, 10);
  });

  it('leaves out null rates and renormalises, reporting them as missing', () => {
    const r: Rates = { ...perfect, onTimeDispatchRate: null, closureRate: 0.5 };
    const s = compositeScore(r, { closureRate: 1, onTimeDispatchRate: 1 });
    expect(s).toEqual({ ok: true, value: { score: 50, weightUsed: 1, missing: ['onTimeDispatchRate'] } });
  });

  it('is null when no weighted rate is available', () => {
    const none: Rates = {
      closureRate: null,
      onTimeClosureRate: null,
      reworkRate: null,
      onTimeDispatchRate: null,
      missedReportRate: null,
      ...extra,
    };
    expect(compositeScore(none, DEFAULT_WEIGHTS)).toEqual({
      ok: true,
      // the zero-weighted rates (verification, check, self-handled) are not missing
      value: { score: null, weightUsed: 0, missing: RATE_NAMES.filter((n) => DEFAULT_WEIGHTS[n] > 0) },
    });
  });

  it('ignores zero-weighted rates entirely (not even as missing)', () => {
    const r: Rates = { ...perfect, reworkRate: null };
    const s = compositeScore(r, { closureRate: 1, reworkRate: 0 });
    expect(s).toEqual({ ok: true, value: { score: 100, weightUsed: 1, missing: [] } });
  });

  it('refuses bad weights', () => {
    expect(compositeScore(perfect, { closureRate: -1 })).toMatchObject({ ok: false, code: 'BAD_WEIGHT' });
  });
});

describe('validateWeights', () => {
  it('accepts a partial table and skips explicit undefined', () => {
    expect(validateWeights({ closureRate: 2, reworkRate: undefined })).toEqual({
      ok: true,
      value: { closureRate: 2 },
    });
  });

  it.each([
    [{ closure: 1 }, 'UNKNOWN_RATE', '"closure"'],
    [{ closureRate: -0.5 }, 'BAD_WEIGHT', '-0.5'],
    [{ closureRate: Number.NaN }, 'BAD_WEIGHT', 'NaN'],
    [{ closureRate: Number.POSITIVE_INFINITY }, 'BAD_WEIGHT', 'Infinity'],
    [{ closureRate: '1' }, 'BAD_WEIGHT', 'closureRate = "1"'],
    [{ closureRate: { w: 1 } }, 'BAD_WEIGHT', 'closureRate = {"w":1}'],
    [{}, 'NO_WEIGHT', 'at least one'],
    [{ closureRate: 0, reworkRate: 0 }, 'NO_WEIGHT', 'at least one'],
  ] as Array<[Record<string, unknown>, string, string]>)('refuses %j', (w, code, fragment) => {
    const r = validateWeights(w);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    expect(r.reason).toContain(fragment);
  });
});

describe('weightsForCode', () => {
  const table = {
    '4419': { closureRate: 1 },
    '441900106': { onTimeClosureRate: 1 },
    '4403': { reworkRate: 1 },
  };

  it('picks the most specific scope that contains the code', () => {
    expect(weightsForCode('441900106001003', table)).toEqual({ ok: true, value: { onTimeClosureRate: 1 } });
    expect(weightsForCode('441900107001', table)).toEqual({ ok: true, value: { closureRate: 1 } });
    expect(weightsForCode('4419', table)).toEqual({ ok: true, value: { closureRate: 1 } });
    expect(weightsForCode('440306017', table)).toEqual({ ok: true, value: { reworkRate: 1 } });
  });

  it('falls back to the defaults', () => {
    expect(weightsForCode('4420', table)).toEqual({ ok: true, value: DEFAULT_WEIGHTS });
    expect(weightsForCode('4419', {})).toEqual({ ok: true, value: DEFAULT_WEIGHTS });
  });

  it('refuses invalid codes in the query and in the table', () => {
    const r = weightsForCode('44190', table);
    expect(r).toMatchObject({ ok: false, code: 'BAD_SCOPE' });
    expect(!r.ok && r.reason).toContain('"44190"');
    expect(weightsForCode('4419', { '': { closureRate: 1 } })).toMatchObject({
      ok: false,
      code: 'BAD_SCOPE',
    });
  });
});

describe('the hand-worked example of docs/formulas.md', () => {
  const d = (day: number, h: number, m = 0): number =>
    START + day * 24 * HOUR_MS + h * HOUR_MS + m * MINUTE_MS;
  const n = { priority: 'normal' as const, reworkCount: 0 };
  const cases: EvaluationCase[] = [
    // A
    {
      ...n,
      source: 'patrol',
      reportedAt: d(1, 9),
      registeredAt: d(1, 9, 5),
      dispatchedAt: d(1, 9, 10),
      dueAt: d(2, 9),
      feedbackAt: d(2, 8),
      closedAt: d(2, 10),
    },
    // B
    {
      ...n,
      source: 'patrol',
      reportedAt: d(1, 9),
      registeredAt: d(1, 9, 40),
      dispatchedAt: d(1, 10),
      dueAt: d(3, 10),
      feedbackAt: d(3, 15),
      closedAt: d(3, 16),
      reworkCount: 1,
    },
    // C
    {
      ...n,
      source: 'patrol',
      reportedAt: d(2, 9),
      registeredAt: d(2, 9, 3),
      dispatchedAt: d(2, 9, 20),
      dueAt: d(4, 9),
      closedAt: null,
    },
    // D
    {
      ...n,
      source: 'patrol',
      reportedAt: d(4, 14),
      registeredAt: d(4, 14, 5),
      dispatchedAt: d(4, 14, 10),
      dueAt: d(8, 14),
      feedbackAt: d(5, 9),
      closedAt: d(5, 10),
    },
    // E
    {
      ...n,
      source: 'patrol',
      selfHandled: true,
      reportedAt: d(0, 10),
      registeredAt: d(0, 10),
      dispatchedAt: null,
      dueAt: null,
      feedbackAt: d(0, 10),
      closedAt: d(0, 10, 20),
    },
    // F
    {
      ...n,
      source: 'citizen',
      reportedAt: d(0, 20),
      registeredAt: d(1, 8, 30),
      dispatchedAt: d(1, 8, 45),
      dueAt: d(2, 17, 30),
      feedbackAt: d(2, 12),
      closedAt: d(3, 13),
    },
    // G
    {
      ...n,
      source: 'patrol',
      reportedAt: shanghaiMs(2025, 2, 20),
      registeredAt: shanghaiMs(2025, 2, 20),
      dispatchedAt: shanghaiMs(2025, 2, 20) + HOUR_MS,
      dueAt: shanghaiMs(2025, 2, 25),
      closedAt: null,
    },
    // H
    {
      ...n,
      source: 'citizen',
      reportedAt: d(3, 10),
      registeredAt: null,
      dispatchedAt: null,
      dueAt: null,
      closedAt: null,
      voidedAt: d(3, 11),
    },
  ];

  it('gives the counts and rates worked out by hand', () => {
    const c = count(cases);
    expect(c).toEqual({
      reported: 7,
      registered: 6,
      publicFirst: 1,
      selfHandled: 1,
      verified: 5,
      verifiedOnTime: 4,
      dispatched: 5,
      dueForDispatch: 5,
      dispatchedOnTime: 3,
      closed: 3,
      closedOnTime: 2,
      overdueOpen: 1,
      dueForClosure: 4,
      reworked: 1,
      backlog: 1,
      checked: 4,
      checkedOnTime: 3,
    });
    expect(rates(c)).toEqual({
      closureRate: 0.75,
      onTimeClosureRate: 0.5,
      reworkRate: 0.25,
      onTimeDispatchRate: 0.6,
      missedReportRate: 1 / 6,
      onTimeVerifyRate: 0.8,
      onTimeCheckRate: 0.75,
      selfHandledRate: 1 / 6,
    });
  });
});
