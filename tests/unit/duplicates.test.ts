// 一事多报 proposal rule (src-shared/desk/duplicates.ts), hand-worked. At 23° N one degree of
// latitude is 111,195 m (R = 6,371,008.8 m × π/180) and one degree of longitude 111,195 ×
// cos 23° = 102,356 m, so:
//   0.0008° north = 88.96 m (inside the 100 m radius)   0.0009° north = 100.08 m (outside)
//   0.0009° east  = 92.12 m (inside)                    0.0010° east  = 102.36 m (outside)
import { describe, expect, it } from 'vitest';
import { proposeDuplicates, type DuplicateCandidate } from '../../src-shared/desk/duplicates';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 7, 1, 0); // 09:00 in Shanghai
const LON = 113.75;
const LAT = 23.0;
const GRID = '441900003001001';

function c(id: string, over: Partial<DuplicateCandidate> = {}): DuplicateCandidate {
  return {
    id,
    state: 'reported',
    categoryCode: '01001',
    gridCode: GRID,
    lon: LON,
    lat: LAT,
    reportedAt: T0,
    ...over,
  };
}

describe('duplicate report proposals (一事多报)', () => {
  it('proposes the newer of two same-category reports 89 m and 1 h apart, pointing at the older', () => {
    const got = proposeDuplicates([
      c('A', { state: 'registered' }),
      c('B', { lat: LAT + 0.0008, reportedAt: T0 + H }),
    ]);
    expect([...got.keys()]).toEqual(['B']);
    const p = got.get('B')!;
    expect(p.primaryId).toBe('A');
    expect(p.gapMs).toBe(H);
    expect(p.distanceM).toBeCloseTo(88.96, 1);
  });

  it('uses the 100 m radius: 92 m east is proposed, 100.08 m north and 102 m east are not', () => {
    const got = proposeDuplicates([
      c('A'),
      c('E92', { lon: LON + 0.0009, reportedAt: T0 + H }),
      c('N100', { lat: LAT + 0.0009, reportedAt: T0 + H, categoryCode: '01002' }),
      c('A2', { categoryCode: '01002' }),
      c('E102', { lon: LON + 0.001, reportedAt: T0 + H, categoryCode: '01003' }),
      c('A3', { categoryCode: '01003' }),
    ]);
    expect(got.get('E92')?.distanceM).toBeCloseTo(92.12, 1);
    expect(got.has('N100')).toBe(false);
    expect(got.has('E102')).toBe(false);
    expect(got.size).toBe(1);
  });

  it('uses the 6 h window inclusively: 6 h 00 min is proposed, 6 h 01 min is not', () => {
    expect(proposeDuplicates([c('A'), c('B', { reportedAt: T0 + 6 * H })]).get('B')?.primaryId).toBe('A');
    expect(proposeDuplicates([c('A'), c('B', { reportedAt: T0 + 6 * H + 60_000 })]).size).toBe(0);
  });

  it('never pairs different categories, and never proposes a case someone is already handling', () => {
    const got = proposeDuplicates([
      c('A'),
      c('OTHER', { categoryCode: '02001', reportedAt: T0 + H }),
      c('DISPATCHED', { state: 'dispatched', reportedAt: T0 + H }),
      c('HANDLING', { state: 'handling', reportedAt: T0 + 2 * H }),
    ]);
    expect(got.size).toBe(0);
    // …but a case in hand is a fine primary for a later report.
    const later = proposeDuplicates([c('A', { state: 'handling' }), c('B', { reportedAt: T0 + H })]);
    expect(later.get('B')?.primaryId).toBe('A');
  });

  it('points every later report of one spot at the earliest, or at the nearest earlier one in reach', () => {
    const got = proposeDuplicates([
      c('C', { lon: LON + 0.0009, reportedAt: T0 + 2 * H }),
      c('A'),
      c('B', { lat: LAT + 0.0008, reportedAt: T0 + H }),
      // 100.08 m from A (out of reach) but 11.1 m from B: B is its primary.
      c('D', { lat: LAT + 0.0009, reportedAt: T0 + 3 * H }),
    ]);
    expect(Object.fromEntries([...got].map(([k, v]) => [k, v.primaryId]))).toEqual({
      B: 'A',
      C: 'A',
      D: 'B',
    });
    expect(got.get('D')!.distanceM).toBeCloseTo(11.12, 1);
  });

  it('breaks a same-millisecond tie by id, so two reports never point at each other', () => {
    const got = proposeDuplicates([c('Y'), c('X')]);
    expect([...got.values()]).toEqual([{ caseId: 'Y', primaryId: 'X', distanceM: 0, gapMs: 0 }]);
  });

  it('never pairs reports of two grids, however close (a merge would show one area the other area report)', () => {
    const got = proposeDuplicates([
      c('A'),
      c('ACROSS', { lat: LAT + 0.0001, reportedAt: T0 + H, gridCode: '441900003001002' }),
      c('SAME', { lat: LAT + 0.0002, reportedAt: T0 + 2 * H }),
    ]);
    expect(got.has('ACROSS')).toBe(false);
    expect(got.get('SAME')?.primaryId).toBe('A');
    expect(got.size).toBe(1);
  });

  it('ignores closed and voided cases as primaries', () => {
    expect(proposeDuplicates([c('A', { state: 'voided' }), c('B', { reportedAt: T0 + H })]).size).toBe(0);
    expect(proposeDuplicates([c('A', { state: 'closed' }), c('B', { reportedAt: T0 + H })]).size).toBe(0);
  });
});
