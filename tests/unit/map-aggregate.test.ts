// The city view (issue 16 item 5): below POINT_ZOOM the map draws counts per town or village
// instead of every case and officer. Counts are checked by hand against the fixture city
// (2 villages, 4 grids, 4 open cases, officers with fresh, stale and no fixes).
import { describe, expect, it } from 'vitest';
import {
  bubbleRadius,
  countByArea,
  drawModeForZoom,
  overdueClass,
  OVERDUE_BAD,
  OVERDUE_WARN,
} from '../../src-shared/map/aggregate';
import { snapshotGridMap, computeChoropleth } from '../../src-shared/map/choropleth';
import {
  AGG_BUBBLES_ID,
  AGG_COUNTS_ID,
  AGG_NAMES_ID,
  AGG_OFFICERS_ID,
  aggView,
} from '../../src-shared/map/layers/aggregate-layers';
import { buildLayers, type LayerInputs, type LayerUi } from '../../src-shared/map/layers/build-layers';
import type { LayerFactory } from '../../src-shared/map/layers/layer-factory';
import { labelSet } from '../../src-shared/map/layers/labels-layer';
import { OfficerBuffers } from '../../src-shared/map/officer-buffers';
import { AGG_CASE_COLORS } from '../../src-shared/map/palette';
import { cameraBuffers, caseBuffers } from '../../src-shared/map/point-buffers';
import { DEFAULT_TOGGLES } from '../../src-shared/map/settings';
import { POINT_ZOOM, VILLAGE_ZOOM } from '../../src-shared/map/zoom-rules';
import { NOW, VILLAGES, fixtureAreas, fixtureSnapshot } from './map-fixture';

interface Spec {
  kind: string;
  id: string;
  props: Record<string, unknown>;
}
const rec =
  (kind: string) =>
  (p: object): Spec => ({ kind, id: String((p as { id: string }).id), props: p as Record<string, unknown> });
const f: LayerFactory<Spec> = {
  scatterplot: rec('scatterplot'),
  path: rec('path'),
  solidPolygon: rec('solidPolygon'),
  text: rec('text'),
  icon: rec('icon'),
  trips: rec('trips'),
};

function world(zoom: number) {
  const snapshot = fixtureSnapshot();
  const areas = fixtureAreas();
  const gridMap = snapshotGridMap(snapshot, areas);
  const mode = drawModeForZoom(zoom);
  const inputs: LayerInputs = {
    areas,
    tiles: false,
    labels: {
      town: labelSet(areas, 'town'),
      village: labelSet(areas, 'village'),
      grid: labelSet(areas, 'grid'),
    },
    choropleth: computeChoropleth('open', 'town', areas, snapshot, gridMap, NOW),
    officers: new OfficerBuffers(snapshot.officers, NOW),
    cameras: cameraBuffers(snapshot.cameras),
    cases: caseBuffers(snapshot.cases),
    caseColumns: snapshot.cases,
    places: null,
    arrowAtlas: 'atlas',
    agg: mode === 'points' ? null : aggView(areas, countByArea(mode, areas, snapshot, gridMap, NOW)),
  };
  const ui: LayerUi = {
    zoom,
    toggles: DEFAULT_TOGGLES,
    selectedArea: null,
    selectedPoints: null,
    newCases: [],
    pulsePhase: 0,
    alerts: [],
    motion: true,
    replay: null,
    replayTime: 0,
    replayTrail: 600,
  };
  return { snapshot, areas, gridMap, inputs, ui };
}

const visible = (layers: Spec[]): string[] => layers.filter((l) => l.props.visible).map((l) => l.id);

describe('city view: counts per area below POINT_ZOOM', () => {
  it('draws counts per town, then per village, then every point as the map zooms in', () => {
    expect(drawModeForZoom(8)).toBe('town');
    expect(drawModeForZoom(VILLAGE_ZOOM - 0.01)).toBe('town');
    expect(drawModeForZoom(VILLAGE_ZOOM)).toBe('village');
    expect(drawModeForZoom(POINT_ZOOM - 0.01)).toBe('village');
    expect(drawModeForZoom(POINT_ZOOM)).toBe('points');
    expect(drawModeForZoom(17)).toBe('points');
  });

  it('counts open and overdue cases and the officers at work per village and per town', () => {
    const { snapshot, areas, gridMap } = world(9);
    const v = countByArea('village', areas, snapshot, gridMap, NOW);
    const v0 = areas.villages.index.get(VILLAGES[0])!;
    const v1 = areas.villages.index.get(VILLAGES[1])!;
    // C1, C2 (overdue) in grid 0; C3 (no deadline), H17 (overdue) in grid 2; C4 is closed.
    expect([v.cases[v0], v.overdue[v0]]).toEqual([2, 1]);
    expect([v.cases[v1], v.overdue[v1]]).toEqual([2, 1]);
    // Patrol (10 s old) and on duty (5 min) at home in village 0; handling 30 min ago is lost;
    // SOS in village 1; the mobile officer has no fix.
    expect([v.onDuty[v0], v.onDuty[v1]]).toEqual([2, 1]);
    expect(v.maxCases).toBe(2);
    const t = countByArea('town', areas, snapshot, gridMap, NOW);
    expect([...t.cases]).toEqual([4]);
    expect([...t.overdue]).toEqual([2]);
    expect([...t.onDuty]).toEqual([3]);
    // Two minutes earlier neither deadline had passed.
    expect([...countByArea('town', areas, snapshot, gridMap, NOW - 120_000).overdue]).toEqual([0]);
  });

  it('colours an area by its overdue share and sizes it by its open cases', () => {
    expect(overdueClass(0, 0)).toBe(0);
    expect(overdueClass(100, Math.ceil(100 * OVERDUE_WARN) - 1)).toBe(0);
    expect(overdueClass(100, 100 * OVERDUE_WARN)).toBe(1);
    expect(overdueClass(100, 100 * OVERDUE_BAD)).toBe(2);
    expect(bubbleRadius(0, 500, 'town')).toBe(0);
    const radii = [1, 10, 100, 500].map((n) => bubbleRadius(n, 500, 'town'));
    expect(radii).toEqual([...radii].sort((a, b) => a - b));
    expect(new Set(radii).size).toBe(4);
    expect(bubbleRadius(500, 500, 'village')).toBeLessThan(bubbleRadius(500, 500, 'town'));
  });

  it('hides case and officer dots below POINT_ZOOM and draws the town bubbles, counts and names', () => {
    const { inputs, ui } = world(9);
    const layers = buildLayers(f, inputs, ui);
    const shown = visible(layers);
    expect(shown).not.toContain('cases');
    expect(shown).not.toContain('officers');
    expect(shown).not.toContain('officer-headings');
    expect(shown).not.toContain('town-labels'); // drawn above the bubbles by agg-names instead
    expect(shown).toEqual(
      expect.arrayContaining(['area-shading', AGG_BUBBLES_ID, AGG_COUNTS_ID, AGG_NAMES_ID, AGG_OFFICERS_ID]),
    );
    const bubbles = layers.find((l) => l.id === AGG_BUBBLES_ID)!;
    const data = bubbles.props.data as { cases: number; overdue: number; color: number[]; name: string }[];
    expect(data.map((d) => [d.name, d.cases, d.overdue])).toEqual([['东城街道', 4, 2]]);
    expect(data[0].color.slice(0, 3)).toEqual([...AGG_CASE_COLORS[2]]);
    const counts = layers.find((l) => l.id === AGG_COUNTS_ID)!;
    const getText = counts.props.getText as (d: unknown) => string;
    expect((counts.props.data as unknown[]).map(getText)).toEqual(['4']);
    const tags = layers.find((l) => l.id === AGG_OFFICERS_ID)!;
    const tagText = tags.props.getText as (d: unknown) => string;
    expect((tags.props.data as unknown[]).map(tagText)).toEqual(['3']);
  });

  it('per village between VILLAGE_ZOOM and POINT_ZOOM, without village names', () => {
    const { inputs, ui } = world(VILLAGE_ZOOM + 0.5);
    const layers = buildLayers(f, inputs, ui);
    const shown = visible(layers);
    expect(shown).toContain(AGG_BUBBLES_ID);
    expect(shown).not.toContain('cases');
    expect(shown).not.toContain('village-labels');
    expect(shown).not.toContain(AGG_NAMES_ID);
    const data = layers.find((l) => l.id === AGG_BUBBLES_ID)!.props.data as { cases: number }[];
    expect(data.map((d) => d.cases)).toEqual([2, 2]);
  });

  it('draws every case and officer from POINT_ZOOM, with no aggregate layer', () => {
    const { inputs, ui } = world(POINT_ZOOM);
    const shown = visible(buildLayers(f, inputs, ui));
    expect(shown).toEqual(expect.arrayContaining(['cases', 'officers']));
    expect(shown.filter((id) => id.startsWith('agg-'))).toEqual([]);
  });

  it('follows the layer toggles: no cases, no bubbles; no labels, no names; no officers, no tags', () => {
    const { inputs, ui } = world(9);
    const off = { ...DEFAULT_TOGGLES, cases: false, labels: false, officers: false };
    const shown = visible(buildLayers(f, inputs, { ...ui, toggles: off }));
    expect(shown.filter((id) => id.startsWith('agg-'))).toEqual([]);
  });
});
