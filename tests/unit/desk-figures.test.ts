// The desk figures' 准确派遣率 (src-shared/desk/figures.ts): counted by the server over the same
// evaluation records as the other rates, and checked by the console when it reads the answer.
import { describe, expect, it } from 'vitest';
import { deskFigures, parseScopeFigures } from '../../src-shared/desk/figures';
import { startOfDayShanghai } from '../../src-shared/domain/calendar';
import type { EvaluationCase } from '../../src-shared/domain/evaluation';

// A Wednesday noon in Shanghai: today and this week differ.
const NOW = Date.UTC(2026, 2, 11, 4, 0, 0);
const TODAY = startOfDayShanghai(NOW);

function record(dispatchedAt: number | null, extra: Partial<EvaluationCase> = {}): EvaluationCase {
  return {
    reportedAt: (dispatchedAt ?? NOW) - 600_000,
    priority: 'normal',
    source: 'hotline',
    registeredAt: (dispatchedAt ?? NOW) - 300_000,
    dispatchedAt,
    dueAt: null,
    closedAt: null,
    reworkCount: 0,
    ...extra,
  };
}

describe('desk figures: 准确派遣率', () => {
  it('counts the returns of the cases first dispatched in each period', () => {
    const f = deskFigures(
      [
        record(TODAY + 3_600_000), // today, never returned
        record(TODAY + 7_200_000, { returnCount: 1, awaitingRedispatch: true }), // today, waiting
        record(TODAY - 86_400_000, { returnCount: 2 }), // Tuesday, dispatched three times
        record(null), // not dispatched: no assignment
        record(TODAY - 30 * 86_400_000, { returnCount: 1 }), // last month: in no period
      ],
      NOW,
    );
    expect(f.accurateDispatch!.today).toEqual({ assignments: 2, returned: 1, rate: 0.5 });
    expect(f.accurateDispatch!.week).toEqual({ assignments: 5, returned: 3, rate: 0.4 });
  });

  it('is read back from the answer with its rate recomputed; impossible counts are refused', () => {
    const f = { scopeCode: '441900106', ...deskFigures([record(TODAY + 60_000, { returnCount: 1 })], NOW) };
    const wire = JSON.parse(JSON.stringify(f)) as typeof f;
    expect(parseScopeFigures(wire)!.accurateDispatch).toEqual(f.accurateDispatch);
    wire.accurateDispatch!.today.rate = 1;
    expect(parseScopeFigures(wire)!.accurateDispatch!.today.rate).toBe(0.5);
    wire.accurateDispatch!.today.returned = 3;
    expect(parseScopeFigures(wire)).toBeNull();
    // a copy without the figure (kept by an older console) is still a figures answer
    const { accurateDispatch: _, ...old } = f;
    expect(parseScopeFigures(old)!.accurateDispatch).toBeUndefined();
  });
});
