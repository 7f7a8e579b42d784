import { describe, expect, it } from 'vitest';
import { areaFigures } from '../../src-shared/map/area-figures';
import { areaOfGrid, gridSeq, shortDivisionName } from '../../src-shared/map/areas';
import { classOf, computeChoropleth, quantileBreaks, snapshotGridMap } from '../../src-shared/map/choropleth';
import { RAMP_GOOD } from '../../src-shared/map/palette';
import { areaLevelForZoom } from '../../src-shared/map/zoom-rules';
import { GRIDS, NOW, TOWN, VILLAGES, fixtureAreas, fixtureSnapshot } from './map-fixture';

describe('areas', () => {
  it('builds towns, villages and grids with parents, names and summed figures', () => {
    const a = fixtureAreas();
    expect(a.cityName).toBe('东莞市');
    expect(a.towns.codes).toEqual([TOWN]);
    expect(a.villages.codes).toEqual([...VILLAGES]);
    expect(a.villages.names).toEqual(['岗贝社区', '大朗村']);
    expect(a.grids.codes).toEqual([...GRIDS]);
    expect(a.grids.names[3]).toBe('002');
    expect([...a.grids.parent]).toEqual([0, 0, 1, 1]);
    expect([...a.villages.parent]).toEqual([0, 0]);
    expect(a.villages.rentalUnits[0]).toBe(500);
    expect(a.towns.rentalUnits[0]).toBe(1750);
    // A multi-part village gives one polygon entry per part.
    expect(a.villages.polygons.filter((p) => p.area === 1)).toHaveLength(2);
    expect(a.grids.centroids[0]).toBeCloseTo(113.705);
    // The scope's bounds are its grids'.
    [113.7, 23.0, 113.74, 23.01].forEach((v, i) => expect(a.scopeBBox[i]).toBeCloseTo(v, 9));
    expect(areaOfGrid(a, 'grid', 2)).toBe(2);
    expect(areaOfGrid(a, 'village', 2)).toBe(1);
    expect(areaOfGrid(a, 'town', 2)).toBe(0);
  });

  it('shortens committee names and numbers grids within the village', () => {
    expect(shortDivisionName('岗贝社区居民委员会')).toBe('岗贝社区');
    expect(shortDivisionName('大朗村民委员会')).toBe('大朗村');
    // Issue 18 #7: a village whose own name ends in 村 kept a doubled 村 (横沥村村).
    expect(shortDivisionName('横沥村村民委员会')).toBe('横沥村');
    expect(shortDivisionName('田头村村民委员会')).toBe('田头村');
    expect(shortDivisionName('新村村民委员会')).toBe('新村');
    expect(shortDivisionName('花园新村社区居民委员会')).toBe('花园新村社区');
    expect(shortDivisionName('东城街道')).toBe('东城街道');
    expect(gridSeq('441900003001012')).toBe('012');
  });

  it('picks the area level by zoom', () => {
    expect(areaLevelForZoom(8)).toBe('town');
    expect(areaLevelForZoom(11)).toBe('village');
    expect(areaLevelForZoom(13)).toBe('grid');
  });
});

describe('choropleth', () => {
  const areas = fixtureAreas();
  const snapshot = fixtureSnapshot();
  const gridMap = snapshotGridMap(snapshot, areas);

  it('counts open cases per grid, village and town', () => {
    expect([...computeChoropleth('open', 'grid', areas, snapshot, gridMap, NOW).values]).toEqual([
      2, 0, 2, 0,
    ]);
    expect([...computeChoropleth('open', 'village', areas, snapshot, gridMap, NOW).values]).toEqual([2, 2]);
    expect([...computeChoropleth('open', 'town', areas, snapshot, gridMap, NOW).values]).toEqual([4]);
  });

  it('counts overdue cases (due before now)', () => {
    expect([...computeChoropleth('overdue', 'grid', areas, snapshot, gridMap, NOW).values]).toEqual([
      1, 0, 1, 0,
    ]);
  });

  it('normalises per 1,000 rental units, leaving grids without rentals unshaded', () => {
    const c = computeChoropleth('perRental', 'grid', areas, snapshot, gridMap, NOW);
    expect(c.values[0]).toBe(4); // 2 cases / 500 units
    expect(Number.isNaN(c.values[1])).toBe(true);
    expect(c.values[2]).toBe(2); // 2 / 1000
    expect(c.colors[1 * 4 + 3]).toBe(0);
  });

  it('compares officers on duty (fresh fix, working status) with the officers planned', () => {
    const c = computeChoropleth('onDuty', 'grid', areas, snapshot, gridMap, NOW);
    // Grid 0: patrol (fresh) + on duty (5 min: still counts) = 2 / 2; grid 1: handling but lost = 0 / 1;
    // grid 2: SOS (fresh) = 1 / 1; grid 3: the mobile officer has no fix = 0 / 1.
    expect([...c.values]).toEqual([1, 0, 1, 0]);
    expect([...c.colors.subarray(4, 7)]).toEqual([...RAMP_GOOD[0]]);
    expect([...c.colors.subarray(0, 3)]).toEqual([...RAMP_GOOD[4]]);
  });

  it('leaves everything transparent with no mode', () => {
    const c = computeChoropleth('none', 'grid', areas, snapshot, gridMap, NOW);
    expect(c.colors.every((v) => v === 0)).toBe(true);
  });

  it('bins with quantile breaks over the non-zero values', () => {
    expect(quantileBreaks(Float64Array.of(0, 0, NaN))).toEqual([]);
    const b = quantileBreaks(Float64Array.from({ length: 100 }, (_, i) => i + 1));
    expect(b).toEqual([21, 41, 61, 81]);
    expect(classOf(1, b)).toBe(0);
    expect(classOf(21, b)).toBe(0);
    expect(classOf(22, b)).toBe(1);
    expect(classOf(100, b)).toBe(4);
  });
});

describe('area figures (grid card)', () => {
  it('lists the officers homed in the area and its open cases, most urgent first', () => {
    const areas = fixtureAreas();
    const snapshot = fixtureSnapshot();
    const f = areaFigures(areas, snapshot, snapshotGridMap(snapshot, areas), 'grid', 0, NOW);
    expect(f.officers.map((i) => snapshot.officers.ids[i]).sort()).toEqual(['OF00000', 'OF00001']);
    expect(f.onDuty).toBe(2);
    expect(f.cases.map((i) => snapshot.cases.ids[i])).toEqual(['C1', 'C2']);
    expect(f.overdue).toBe(1);
    const v = areaFigures(areas, snapshot, snapshotGridMap(snapshot, areas), 'village', 1, NOW);
    expect(v.cases.map((i) => snapshot.cases.ids[i])).toEqual(['H17', 'C3']);
    expect(v.officers).toHaveLength(2);
  });
});
