// The layer builders are pure: these tests assert on the layers they return (ids, data,
// visibility by zoom, update triggers), and that a position batch changes the officer layers
// and nothing else.
import { describe, expect, it } from 'vitest';
import { MAP_OFFICER_STATUSES } from '../../src-shared/ipc/map-data';
import {
  buildLayers,
  LayerCache,
  type LayerInputs,
  type LayerUi,
} from '../../src-shared/map/layers/build-layers';
import { computeChoropleth, snapshotGridMap } from '../../src-shared/map/choropleth';
import {
  areaPaths,
  areaShadingLayer,
  gridsLayer,
  selectedAreaLayer,
  VILLAGE_LINES_ZOOM,
} from '../../src-shared/map/layers/area-layers';
import {
  characterSetOf,
  labelSet,
  labelsLayer,
  labelsVisible,
} from '../../src-shared/map/layers/labels-layer';
import { officerHeadingsLayer, officersLayer } from '../../src-shared/map/layers/officers-layer';
import {
  camerasLayer,
  casesLayer,
  newCasesLayer,
  placesLayer,
} from '../../src-shared/map/layers/point-layers';
import { selectionLayer } from '../../src-shared/map/layers/selection-layer';
import { tracksLayer, tripsOf } from '../../src-shared/map/layers/tracks-layer';
import type { IconAtlas, LayerFactory } from '../../src-shared/map/layers/layer-factory';
import { DEFAULT_TOGGLES } from '../../src-shared/map/settings';
import { OfficerBuffers } from '../../src-shared/map/officer-buffers';
import {
  CASE_PRIORITY_COLORS,
  CAMERA_OFFLINE,
  CAMERA_ONLINE,
  CASE_PENDING_RING,
  ALERT_RING,
  CASE_PRIORITY_TABLE,
  OFFICER_COLOR_TABLE,
  SELECTION,
} from '../../src-shared/map/palette';
import type { MapAlert } from '../../src-shared/map/layers/alerts-layer';
import { cameraBuffers, caseBuffers, newCaseIndices, placeBuffers } from '../../src-shared/map/point-buffers';
import { CAMERA_ZOOM, GRID_OUTLINE_ZOOM, HEADING_ZOOM, PLACE_ZOOM } from '../../src-shared/map/zoom-rules';
import { NOW, fixtureAreas, fixtureSnapshot } from './map-fixture';

const ATLAS: IconAtlas = 'test-atlas';

/** What a builder asked the factory for: the layer class and its props. */
interface Spec {
  kind: keyof LayerFactory<unknown>;
  id: string;
  props: Record<string, unknown>;
}
const spec = (kind: Spec['kind'], props: object): Spec => {
  const p = props as Record<string, unknown>;
  return { kind, id: String(p.id), props: p };
};
const f: LayerFactory<Spec> = {
  scatterplot: (p) => spec('scatterplot', p),
  path: (p) => spec('path', p),
  solidPolygon: (p) => spec('solidPolygon', p),
  text: (p) => spec('text', p),
  icon: (p) => spec('icon', p),
  trips: (p) => spec('trips', p),
};

function inputs(): LayerInputs {
  const snapshot = fixtureSnapshot();
  const areas = fixtureAreas();
  return {
    areas,
    tiles: false,
    labels: {
      town: labelSet(areas, 'town'),
      village: labelSet(areas, 'village'),
      grid: labelSet(areas, 'grid'),
    },
    choropleth: computeChoropleth('open', 'grid', areas, snapshot, snapshotGridMap(snapshot, areas), NOW),
    officers: new OfficerBuffers(snapshot.officers, NOW),
    cameras: cameraBuffers(snapshot.cameras),
    cases: caseBuffers(snapshot.cases),
    caseColumns: snapshot.cases,
    places: null,
    arrowAtlas: ATLAS,
    agg: null,
  };
}

const ui = (zoom: number, over: Partial<LayerUi> = {}): LayerUi => ({
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
  ...over,
});

describe('layer builders', () => {
  it('build the whole stack bottom to top with stable ids', () => {
    const ids = buildLayers(f, inputs(), ui(13)).map((l) => l.id);
    expect(ids).toEqual([
      'land',
      'city-line',
      'area-shading',
      'village-lines',
      'town-lines',
      'grids',
      'selected-area',
      'places',
      'cameras',
      'officers',
      'officer-headings',
      'town-labels',
      'village-labels',
      'grid-labels',
      'cases',
      'cases-new',
      'agg-bubbles',
      'agg-counts',
      'agg-names',
      'agg-officers',
      'tracks',
      'alerts-pulse',
      'alerts',
      'selection',
    ]);
    expect(buildLayers(f, inputs(), ui(8)).map((l) => l.id)).toEqual(ids);
  });

  it('draw the city as land with its outline at the bottom, unless a tile service is drawn (the style draws them then)', () => {
    const d = inputs();
    const outline = d.areas.cityOutline!;
    expect(outline.length).toBeGreaterThan(0);
    const byId = (layers: Spec[]) => new Map(layers.map((l) => [l.id, l]));
    const offline = byId(buildLayers(f, d, ui(10)));
    const land = offline.get('land')!;
    expect(land.kind).toBe('solidPolygon');
    expect(land.props).toMatchObject({ visible: true, data: outline, getFillColor: [0x17, 0x21, 0x2c, 255] });
    const line = offline.get('city-line')!;
    expect(line.kind).toBe('path');
    // every ring of every part of the outline is a path
    expect(line.props.data).toEqual(outline.flat());
    expect(line.props).toMatchObject({ visible: true, getWidth: 2, getColor: [0x6d, 0x8f, 0xb3, 255] });
    const tiled = byId(buildLayers(f, { ...d, tiles: true }, ui(10)));
    expect(tiled.get('land')!.props.visible).toBe(false);
    expect(tiled.get('city-line')!.props.visible).toBe(false);
  });

  it('draw unacknowledged alerts as a pickable ring at every zoom, pulsing unless motion is reduced', () => {
    const alerts: MapAlert[] = [
      { id: 'emergency:C1', kind: 'emergency', caseId: 'C1', officerId: null, position: [113.7, 23.0] },
      { id: 'sos:OF00003:1', kind: 'sos', caseId: null, officerId: 'OF00003', position: [113.72, 23.0] },
    ];
    const byId = (layers: Spec[]) => new Map(layers.map((l) => [l.id, l]));
    for (const zoom of [8, 10.5, 13, 16]) {
      const layers = byId(buildLayers(f, inputs(), ui(zoom, { alerts, pulsePhase: 0.4 })));
      const ring = layers.get('alerts')!;
      expect(ring.props.visible).toBe(true);
      expect(ring.props.pickable).toBe(true);
      expect(ring.props.data).toBe(alerts);
      expect(ring.props.getLineColor).toEqual([...ALERT_RING, 255]);
      // a transparent disc inside the ring: clicking its centre picks the alert
      expect(ring.props.filled).toBe(true);
      expect((ring.props.getFillColor as number[])[3]).toBe(0);
      const pulse = layers.get('alerts-pulse')!;
      expect(pulse.props.visible).toBe(true);
      expect(pulse.props.radiusScale).toBeCloseTo(1.4);
    }
    const still = byId(buildLayers(f, inputs(), ui(13, { alerts, motion: false })));
    expect(still.get('alerts')!.props.visible).toBe(true);
    expect(still.get('alerts-pulse')!.props.visible).toBe(false);
    // acknowledged alerts are not handed in: nothing is drawn
    const none = byId(buildLayers(f, inputs(), ui(13)));
    expect(none.get('alerts')!.props.visible).toBe(false);
    expect(none.get('alerts-pulse')!.props.visible).toBe(false);
    // the ring's red is no other paint's
    const others = [SELECTION, CASE_PENDING_RING, ...OFFICER_COLOR_TABLE, ...CASE_PRIORITY_TABLE];
    expect(others.some((c) => c.every((v, i) => v === ALERT_RING[i]))).toBe(false);
  });

  it('hand deck.gl the officer buffers as binary attributes, versioned', () => {
    const d = inputs();
    const layer = officersLayer(f, d.officers, { radius: 5 });
    expect(layer.id).toBe('officers');
    expect(layer.props.data).toBe(d.officers.dots);
    const attrs = (layer.props.data as { attributes: Record<string, { value: unknown; size: number }> })
      .attributes;
    expect(attrs.getPosition.value).toBe(d.officers.position);
    expect(attrs.getPosition.size).toBe(2);
    expect(attrs.getFillColor.value).toBe(d.officers.fill);
    expect(layer.props.updateTriggers).toEqual({ getPosition: 0, getFillColor: 0 });
    expect(layer.props.pickable).toBe(true);
    const headings = officerHeadingsLayer(f, d.officers, ATLAS);
    expect(headings.id).toBe('officer-headings');
    expect(headings.props.data).toBe(d.officers.headings);
  });

  it('a position batch changes the officer layers and no other', () => {
    const d = inputs();
    const before = buildLayers(f, d, ui(13));
    const o = d.officers;
    const move = (at: number) => ({
      version: 7,
      count: 1,
      index: Uint32Array.of(0),
      lon: Float64Array.of(113.71 + (at - NOW) / 1e6),
      lat: Float64Array.of(23.007),
      status: Uint8Array.of(MAP_OFFICER_STATUSES.indexOf('handling')),
      heading: Float32Array.of(10),
      fixAt: Float64Array.of(at),
    });
    o.applyBatch(move(NOW + 1), NOW + 1);
    const after = buildLayers(f, d, ui(13));
    const changed = after.filter((l, i) => !sameProps(l, before[i])).map((l) => l.id);
    expect(changed).toEqual(['officers', 'officer-headings']);
    // With a cache, the other layers are the very same instances (deck.gl skips them outright).
    const cache = new LayerCache<Spec>();
    const u = ui(13);
    const first = buildLayers(f, d, u, cache);
    o.applyBatch(move(NOW + 2), NOW + 2);
    const second = buildLayers(f, d, u, cache);
    expect(second.filter((l, i) => l !== first[i]).map((l) => l.id)).toEqual([
      'officers',
      'officer-headings',
    ]);
    expect(buildLayers(f, d, u, cache).every((l, i) => l === second[i])).toBe(true);
    expect(after.find((l) => l.id === 'officers')?.props.updateTriggers).toEqual({
      getPosition: 1,
      getFillColor: 1,
    });
  });

  it('hide heading arrows below their zoom, and leave them alone there on a position batch', () => {
    const d = inputs();
    const cache = new LayerCache<Spec>();
    const u = ui(HEADING_ZOOM - 1);
    const first = buildLayers(f, d, u, cache);
    const heading = first.find((l) => l.id === 'officer-headings');
    expect(heading?.props.visible).toBe(false);
    d.officers.applyBatch(
      {
        version: 7,
        count: 1,
        index: Uint32Array.of(0),
        lon: Float64Array.of(113.72),
        lat: Float64Array.of(23.007),
        status: Uint8Array.of(0),
        heading: Float32Array.of(30),
        fixAt: Float64Array.of(NOW + 5),
      },
      NOW + 5,
    );
    const second = buildLayers(f, d, u, cache);
    expect(second.filter((l, i) => l !== first[i]).map((l) => l.id)).toEqual(['officers']);
    const closer = buildLayers(f, d, ui(HEADING_ZOOM), cache).find((l) => l.id === 'officer-headings');
    expect(closer?.props.visible).toBe(true);
    expect(closer?.props.updateTriggers).toEqual({ getPosition: 1, getColor: 1, getAngle: 1 });
  });

  it('show grid outlines, cameras and places from their zooms on', () => {
    const d = inputs();
    expect(gridsLayer(f, d.areas, { zoom: GRID_OUTLINE_ZOOM - 0.1 }).props.visible).toBe(false);
    expect(gridsLayer(f, d.areas, { zoom: GRID_OUTLINE_ZOOM }).props.visible).toBe(true);
    expect(gridsLayer(f, d.areas, { zoom: 13, visible: false }).props.visible).toBe(false);
    expect(gridsLayer(f, d.areas, { zoom: 13 }).props.data).toBe(d.areas.grids.paths);
    expect(camerasLayer(f, d.cameras, { zoom: CAMERA_ZOOM - 0.5 }).props.visible).toBe(false);
    expect(camerasLayer(f, d.cameras, { zoom: CAMERA_ZOOM }).props.visible).toBe(true);
    const places = placeBuffers({
      count: 2,
      lon: Float32Array.of(113.7, 113.71),
      lat: Float32Array.of(23, 23.01),
      kind: Uint8Array.of(0, 1),
      tier: Uint8Array.of(3, 255),
    });
    expect(placesLayer(f, places, { zoom: PLACE_ZOOM - 1 }).props.visible).toBe(false);
    expect(placesLayer(f, places, { zoom: PLACE_ZOOM }).props.visible).toBe(true);
    expect(placesLayer(f, null, { zoom: 18 }).props.visible).toBe(false);
  });

  it('colour cameras by state and cases by priority, with the pending ring', () => {
    const d = inputs();
    const cam = d.cameras.data.attributes.getFillColor.value;
    expect([...cam.subarray(0, 3)]).toEqual([...CAMERA_ONLINE]);
    expect([...cam.subarray(8, 11)]).toEqual([...CAMERA_OFFLINE]);
    const fill = d.cases.data.attributes.getFillColor.value;
    expect([...fill.subarray(0, 3)]).toEqual([...CASE_PRIORITY_COLORS.emergency]);
    const line = d.cases.data.attributes.getLineColor.value;
    expect([...line.subarray(4, 7)]).toEqual([...CASE_PENDING_RING]); // C2 has an unconfirmed action
    expect(casesLayer(f, d.cases).props.data).toBe(d.cases.data);
  });

  it('pulse the new cases only, by a uniform', () => {
    const d = inputs();
    const fresh = newCaseIndices(d.caseColumns, NOW, 15 * 60_000);
    expect(fresh).toEqual([2]); // C3, reported a minute ago
    const a = newCasesLayer(f, d.caseColumns, fresh, { phase: 0 });
    const b = newCasesLayer(f, d.caseColumns, fresh, { phase: 0.5 });
    expect(a.props.data).toBe(b.props.data);
    expect(b.props.radiusScale as number).toBeGreaterThan(a.props.radiusScale as number);
    expect(newCasesLayer(f, d.caseColumns, [], { phase: 0 }).props.visible).toBe(false);
  });

  it('shade areas from the choropleth colours', () => {
    const d = inputs();
    const layer = areaShadingLayer(f, { areas: d.areas, choropleth: d.choropleth });
    expect(layer.id).toBe('area-shading');
    expect(layer.props.data).toBe(d.areas.grids.polygons);
    const get = layer.props.getFillColor as (x: { area: number }) => number[];
    expect(get({ area: 0 })[3]).toBeGreaterThan(1); // two open cases
    expect(get({ area: 1 })).toEqual([0, 0, 0, 1]); // none: all but transparent, still pickable
  });

  it('outline the selected area', () => {
    const d = inputs();
    const paths = areaPaths(d.areas, 'village', 1);
    expect(paths).toHaveLength(2); // a two-part village
    const layer = selectedAreaLayer(f, { level: 'village', paths });
    expect(layer.props.visible).toBe(true);
    expect(selectedAreaLayer(f, null).props.visible).toBe(false);
  });

  it('label areas with exactly the characters they use', () => {
    const d = inputs();
    expect(characterSetOf(['岗贝社区', '大朗村'])).toEqual([...'岗贝社区大朗村'].sort());
    const villages = labelSet(d.areas, 'village');
    expect(villages.labels.map((l) => l.text)).toEqual(['岗贝社区', '大朗村']);
    const layer = labelsLayer(f, villages, { zoom: 12 });
    expect(layer.id).toBe('village-labels');
    expect(layer.props.characterSet).toEqual(villages.characters);
    expect(layer.props.fontFamily).toContain('Noto Sans CJK SC');
    expect(labelsVisible('town', 9)).toBe(true);
    expect(labelsVisible('town', 12)).toBe(false);
    expect(labelsVisible('grid', 13)).toBe(false);
    expect(labelsVisible('grid', 15)).toBe(true);
    expect(labelsLayer(f, labelSet(d.areas, 'grid'), { zoom: 12 }).props.visible).toBe(false);
  });

  it('ring what is selected', () => {
    expect(selectionLayer(f, null).props.visible).toBe(false);
    const l = selectionLayer(f, [{ position: [113.7, 23], radius: 10 }]);
    expect(l.props.visible).toBe(true);
    expect(l.props.filled).toBe(false);
  });

  it('replay tracks as trips with times in seconds from the window start', () => {
    const replay = tripsOf(
      [
        {
          officerId: 'OF00000',
          lon: Float64Array.of(113.7, 113.71, 113.72),
          lat: Float64Array.of(23.0, 23.01, 23.02),
          at: Float64Array.of(NOW - 120_000, NOW - 60_000, NOW + 60_000),
        },
        { officerId: 'OF00001', lon: new Float64Array(0), lat: new Float64Array(0), at: new Float64Array(0) },
      ],
      NOW - 90_000,
      NOW,
    );
    expect(replay.trips).toHaveLength(1);
    expect(replay.trips[0].times).toEqual([30]);
    expect(replay.trips[0].path).toEqual([[113.71, 23.01]]);
    const layer = tracksLayer(f, replay, { time: 12, trail: 600 });
    expect(layer.id).toBe('tracks');
    expect(layer.props.currentTime).toBe(12);
    expect(layer.props.visible).toBe(true);
    expect(tracksLayer(f, null, { time: 0, trail: 600 }).props.visible).toBe(false);
  });
});

/** The props deck.gl compares to decide whether a layer needs an update. */
function sameProps(a: Spec, b: Spec): boolean {
  const keys = new Set([...Object.keys(a.props), ...Object.keys(b.props)]);
  for (const k of keys) {
    const x = a.props[k];
    const y = b.props[k];
    if (typeof x === 'function' && typeof y === 'function') continue; // accessors: deck.gl ignores identity
    if (k === 'updateTriggers' || Array.isArray(x)) {
      if (JSON.stringify(x) !== JSON.stringify(y)) return false;
    } else if (x !== y) return false;
  }
  return true;
}

describe('town and village boundaries (deck.gl paths, not base-style sources)', () => {
  it('draw every town outline, village outlines from their zoom, the town line widening', () => {
    const d = inputs();
    const at = (z: number) => buildLayers(f, d, ui(z));
    const town = (z: number) => at(z).find((l) => l.id === 'town-lines')!;
    const village = (z: number) => at(z).find((l) => l.id === 'village-lines')!;
    expect(town(8).props.data).toBe(d.areas.towns.paths);
    expect(village(12).props.data).toBe(d.areas.villages.paths);
    expect(town(8).props.visible).toBe(true);
    expect(village(9).props.visible).toBe(false);
    expect(village(VILLAGE_LINES_ZOOM).props.visible).toBe(true);
    expect(town(8).props.getWidth).toBe(1);
    expect(town(13).props.getWidth).toBe(2.5);
    expect(town(10.5).props.getWidth as number).toBeGreaterThan(1);
  });
});
