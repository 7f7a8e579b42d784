// Continuous time (issue 16): the imported history is moved by whole weeks so that it ends at or
// after the start minute and is cut there — no hole between the history and the live cases.
import { describe, expect, it } from 'vitest';
import { allocCases } from '../../src-shared/dataset/cases';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import { historyCutRow, historyShiftMs, isOpenAt } from '../../src-server/dataset/import-dataset';

const WEEK_MS = 7 * 86_400_000;
const REF_MIN = shanghaiMs(2026, 1, 1) / 60_000; // the history's end (a Thursday 00:00)

describe('historyShiftMs', () => {
  it.each([
    ['a minute after the end', REF_MIN * 60_000 + 60_000],
    ['the end itself', REF_MIN * 60_000],
    ['months later, mid-afternoon', shanghaiMs(2026, 12, 7, 15, 42)],
    ['before the history ends (a clock pinned earlier)', shanghaiMs(2025, 11, 3, 9, 0)],
  ])('%s: whole weeks, the shifted end at or after now and less than a week after it', (_, now) => {
    const shift = historyShiftMs(REF_MIN, now);
    expect(Number.isInteger(shift / WEEK_MS)).toBe(true);
    const end = REF_MIN * 60_000 + shift;
    expect(end).toBeGreaterThanOrEqual(now);
    expect(end - now).toBeLessThan(WEEK_MS);
  });
});

describe('the cut at the start minute', () => {
  // rows reported at minutes 10, 20, 30, 40 (sorted, as the generator writes them)
  const t = allocCases(4);
  t.reportedAt.set([10, 20, 30, 40]);
  // row 0: dispatched at 12, closed at 12 + 5 = 17
  t.dispatchDelay[0] = 2;
  t.handlingDuration[0] = 5;
  t.closed[0] = 1;
  // row 1: closes at 20 + 3 + 20 = 43
  t.dispatchDelay[1] = 3;
  t.handlingDuration[1] = 20;
  t.closed[1] = 1;
  // row 2: voided at report
  t.outcome[2] = 1;
  // row 3: still open at the history's end
  t.dispatchDelay[3] = 1;

  it('finds the first row reported at or after the cut', () => {
    expect(historyCutRow(t, 0)).toBe(0);
    expect(historyCutRow(t, 20)).toBe(1);
    expect(historyCutRow(t, 21)).toBe(2);
    expect(historyCutRow(t, 99)).toBe(4);
  });

  it('a row closed after the cut is open at it; one closed before it, or voided, is not', () => {
    expect(isOpenAt(t, 0, 18)).toBe(false);
    expect(isOpenAt(t, 0, 17)).toBe(true); // closing at the cut minute itself is not before it
    expect(isOpenAt(t, 1, 35)).toBe(true); // closes at 43
    expect(isOpenAt(t, 1, 44)).toBe(false);
    expect(isOpenAt(t, 2, 35)).toBe(false);
    expect(isOpenAt(t, 3, 1_000)).toBe(true);
  });
});
