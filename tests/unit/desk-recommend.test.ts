// Dispatch recommendation: grid membership, distance from the last fix, status and load rank
// the officers, with reasons; the reporter and officers calling SOS are never offered.
import { describe, expect, it } from 'vitest';
import {
  distanceM,
  rankOfficers,
  type RecommendFix,
  type RecommendOfficer,
} from '../../src-shared/desk/recommend';
import { insetOf, nearbyCameras } from '../../src-shared/desk/inset';
import type { Camera } from '../../src-shared/protocol/entities';

const NOW = 1_772_000_000_000;
const GRID = '441900106001001';
const C = { lon: 113.9, lat: 23.0, gridCode: GRID, reporterId: 'O-rep' };
// ~0.001° of latitude ≈ 111 m.
const north = (m: number): [number, number] => [C.lon, C.lat + m / 111_195];

function officer(id: string, over: Partial<RecommendOfficer> = {}): RecommendOfficer {
  return {
    id,
    name: id,
    number: `DG${id.replace(/\D/g, '').padStart(4, '0')}`,
    kind: 'grid',
    gridCodes: [GRID],
    homeGridCode: GRID,
    villageCode: GRID.slice(0, 12),
    townCode: GRID.slice(0, 9),
    ...over,
  };
}
const fix = (m: number, status: RecommendFix['status'] = 'patrol', ageMs = 30_000): RecommendFix => {
  const [lon, lat] = north(m);
  return { lon, lat, status, at: NOW - ageMs };
};

describe('rankOfficers', () => {
  it('prefers the grid’s own officers, near, free and idle, and says why', () => {
    const officers = [
      officer('O1'), // own grid, 800 m, patrol
      officer('O2'), // own grid, 100 m, handling another case, 3 open cases
      officer('O3', { homeGridCode: '441900106001002', gridCodes: ['441900106001002'] }), // same village, 50 m
      officer('O4'), // own grid, 300 m, idle
    ];
    const fixes = new Map([
      ['O1', fix(800)],
      ['O2', fix(100, 'handling')],
      ['O3', fix(50)],
      ['O4', fix(300, 'on_duty')],
    ]);
    const loads = new Map([['O2', 3]]);
    const ranked = rankOfficers(C, officers, fixes, loads, { now: NOW });
    expect(ranked.map((r) => r.officerId)).toEqual(['O4', 'O1', 'O3', 'O2']);
    const top = ranked[0];
    expect(top.reasons.map((r) => r.code)).toEqual(['home_grid', 'status', 'distance', 'load']);
    expect(top.distanceM).toBeGreaterThan(290);
    expect(top.distanceM).toBeLessThan(310);
    expect(ranked[3].reasons.find((r) => r.code === 'load')).toMatchObject({ value: 3, sign: -1 });
  });

  it('never offers the reporter (采办分离), an SOS officer or a department handler', () => {
    const officers = [officer('O-rep'), officer('O5'), officer('O6', { kind: 'department' }), officer('O7')];
    const fixes = new Map([
      ['O-rep', fix(10)],
      ['O5', fix(20, 'sos')],
      ['O6', fix(30)],
      ['O7', fix(900)],
    ]);
    expect(rankOfficers(C, officers, fixes, new Map(), { now: NOW }).map((r) => r.officerId)).toEqual(['O7']);
  });

  it('puts stale and missing fixes and off-duty officers behind, and leaves far strangers out', () => {
    const officers = [
      officer('O8'),
      officer('O9'),
      officer('O10'),
      officer('O11', {
        homeGridCode: '441900107001001',
        gridCodes: ['441900107001001'],
        villageCode: '441900107001',
        townCode: '441900107',
      }),
      officer('O12', {
        homeGridCode: '441900106005001',
        gridCodes: [],
        villageCode: '441900106005',
        kind: 'mobile',
      }),
    ];
    const fixes = new Map([
      ['O8', fix(200, 'patrol', 40 * 60_000)], // 40 min old
      ['O10', fix(200, 'off_duty')],
      ['O11', fix(9_000)], // another town, 9 km away
      ['O12', fix(400)], // mobile squad of the town, close by
    ]);
    const ranked = rankOfficers(C, officers, fixes, new Map(), { now: NOW, limit: 10 });
    expect(ranked.map((r) => r.officerId)).toEqual(['O12', 'O9', 'O8', 'O10']);
    expect(ranked.find((r) => r.officerId === 'O8')!.reasons).toContainEqual({
      code: 'stale',
      value: 40,
      sign: -1,
    });
    expect(ranked.find((r) => r.officerId === 'O9')!.reasons).toContainEqual({ code: 'no_fix', sign: -1 });
  });

  it('measures distance on the sphere', () => {
    expect(distanceM(113.9, 23, 113.9, 23.01)).toBeCloseTo(1_112, -1);
  });
});

describe('inset and nearby cameras', () => {
  it('projects the grid polygon and the point into the box', () => {
    const inset = insetOf(
      {
        type: 'Polygon',
        coordinates: [
          [
            [113.9, 23],
            [113.91, 23],
            [113.91, 23.01],
            [113.9, 23.01],
            [113.9, 23],
          ],
        ],
      },
      113.905,
      23.005,
    );
    expect(inset.path.startsWith('M')).toBe(true);
    expect(inset.path.endsWith('Z')).toBe(true);
    expect(inset.point[0]).toBeCloseTo(inset.width / 2, 0);
    expect(inset.point[1]).toBeCloseTo(inset.height / 2, 0);
  });

  it('lists the nearest cameras within range, nearest first', () => {
    const cam = (id: string, m: number): Camera => {
      const [lon, lat] = north(m);
      return {
        id,
        name: id,
        lon,
        lat,
        gridCode: GRID,
        owner: 'town',
        online: true,
        direction: null,
        fov: null,
        streamUrl: null,
      };
    };
    const list = nearbyCameras([cam('far', 3_000), cam('b', 400), cam('a', 100)], C.lon, C.lat);
    expect(list.map((x) => x.camera.id)).toEqual(['a', 'b']);
  });
});
