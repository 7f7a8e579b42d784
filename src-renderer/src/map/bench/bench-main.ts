// The page bench/map.ts drives (map-bench.html): the real MapEngine over a synthetic city at
// Dongguan's scale, and the measurements, run in the page so they time the renderer's main
// thread only. deck.gl applies new layer props in its next animation frame; here that step is
// forced right away (layerManager.updateLayers), so each update path is timed from "a batch
// arrived" to "deck.gl has the new attributes on the GPU", with no frame in between. Frames are
// timed with maplibre's synchronous redraw (JS and GL command submission) and, separately, with
// gl.finish() after it (the whole frame including software rasterisation on this machine).
import type { Layer } from '@deck.gl/core';
import { IconLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { GeoJSONSource } from 'maplibre-gl';
import type { OfficerStatus } from '../../../../src-shared/domain/case-model';
import type { PositionBatch } from '../../../../src-shared/ipc/map-data';
import { MAP_OFFICER_STATUSES } from '../../../../src-shared/ipc/map-data';
import type { OfficerFix } from '../../../../src-shared/protocol/entities';
import { decodeTypedJson, encodeTypedJson } from '../../../../src-shared/ipc/typed-json';
import { buildAreas } from '../../../../src-shared/map/areas';
import { createArrowAtlas, iconAtlasOf } from '../arrow-atlas';
import {
  ARROW_MAPPING,
  OFFICER_HEADINGS_ID,
  OFFICERS_ID,
} from '../../../../src-shared/map/layers/officers-layer';
import { MapEngine } from '../map-engine';
import { DEFAULT_TOGGLES } from '../map-settings';
import { HEADING_ZOOM, POINT_ZOOM } from '../../../../src-shared/map/zoom-rules';
import { officerColor, stalenessOf } from '../../../../src-shared/map/officer-buffers';
import { OFFICER_COLOR_TABLE, toCss } from '../../../../src-shared/map/palette';
import { syntheticBatches, syntheticCity, syntheticPlaces } from './synthetic';

interface NaiveOfficer {
  id: string;
  name: string;
  number: string;
  lon: number;
  lat: number;
  status: OfficerStatus;
  heading: number | null;
  fixAt: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const stats = (xs: number[]) => ({
  median: median(xs),
  p25: pct(xs, 0.25),
  p95: pct(xs, 0.95),
  min: Math.min(...xs),
  max: Math.max(...xs),
  n: xs.length,
});
const nextFrame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));

function setup() {
  const t0 = performance.now();
  const city = syntheticCity();
  const areas = buildAreas(city.divisions, city.grids, '4419');
  const generateMs = performance.now() - t0;
  const container = document.getElementById('map');
  if (!container) throw new Error('map-bench.html lacks #map');
  const t1 = performance.now();
  const engine = new MapEngine({
    container,
    areas,
    snapshot: city.snapshot,
    // The whole city on screen, as a city dispatcher watches 10,000 officers.
    // The widest zoom at which every officer is a dot (below POINT_ZOOM the map draws counts
    // per area, see src-shared/map/aggregate.ts): the position path's worst case.
    initialView: { center: [113.885, 22.9], zoom: POINT_ZOOM, bearing: 0, pitch: 0 },
    tileUrl: null,
    mode: 'open',
    toggles: DEFAULT_TOGGLES,
    reducedMotion: true,
    events: {},
  });
  const engineMs = performance.now() - t1;
  return { city, areas, engine, generateMs, engineMs };
}

const { city, areas, engine, generateMs, engineMs } = setup();
const map = engine.map;
const snapshot = city.snapshot;
const ROUNDS = 60;
const batches = syntheticBatches(snapshot, 32);
let nextBatch = 0;
/**
 * The next batch, stamped now (so no fix is older than the one held), with the same fixes as
 * OfficerFix objects: what a map fed with objects would receive instead.
 */
function takeBatch(): { batch: PositionBatch; fixes: OfficerFix[] } {
  const batch = batches[nextBatch++ % batches.length];
  const at = Date.now() + nextBatch;
  batch.fixAt.fill(at);
  const fixes: OfficerFix[] = new Array<OfficerFix>(batch.count);
  for (let k = 0; k < batch.count; k++) {
    const h = batch.heading[k];
    fixes[k] = {
      officerId: snapshot.officers.ids[batch.index[k]],
      status: MAP_OFFICER_STATUSES[batch.status[k]],
      lon: batch.lon[k],
      lat: batch.lat[k],
      heading: Number.isNaN(h) ? null : h,
      at,
    };
  }
  return { batch, fixes };
}
const atlas = iconAtlasOf(createArrowAtlas());
const gl = map.getCanvas().getContext('webgl2');

/** deck.gl's layer manager behind the overlay (private there; the bench needs to flush it). */
const layerManager = (): { updateLayers(): void } | null =>
  (engine.overlay as unknown as { _deck?: { layerManager: { updateLayers(): void } | null } })._deck
    ?.layerManager ?? null;
const flushLayers = (): void => layerManager()?.updateLayers();

function frameMs(): number {
  const t0 = performance.now();
  map.redraw();
  return performance.now() - t0;
}

/** A frame until the GPU (software here) has finished it. */
function fullFrameMs(): number {
  const t0 = performance.now();
  map.redraw();
  gl?.finish();
  return performance.now() - t0;
}

/** The page's garbage collector when Chromium runs with --js-flags=--expose-gc (bench/map.ts does). */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

/**
 * Lets the map and the GPU process go quiet between timed steps, and collects garbage, so neither
 * a GPU backlog nor the previous step's garbage lands in the next measurement.
 */
async function settle(): Promise<void> {
  await idle();
  gl?.finish();
  collectGarbage?.();
  await nextFrame();
}

/**
 * One update the way the app runs it, timed step by step: the batch arrives (a structured clone,
 * as over Electron IPC), the typed-array writes, the layer props, deck.gl's layer update.
 */
function binaryRound(): {
  updateMs: number;
  receiveMs: number;
  writeMs: number;
  propsMs: number;
  deckMs: number;
} {
  const { batch } = takeBatch();
  const t0 = performance.now();
  const received = structuredClone(batch);
  const t1 = performance.now();
  engine.officers.applyBatch(received, Date.now());
  const t2 = performance.now();
  engine.render();
  const t3 = performance.now();
  flushLayers();
  const t4 = performance.now();
  return { updateMs: t4 - t0, receiveMs: t1 - t0, writeMs: t2 - t1, propsMs: t3 - t2, deckMs: t4 - t3 };
}

/** The same layers as the app's, fed with objects; arrows only from HEADING_ZOOM, as in the app. */
function naiveLayers(objects: NaiveOfficer[], now: number): Layer[] {
  const color = (d: NaiveOfficer): [number, number, number, number] =>
    officerColor(MAP_OFFICER_STATUSES.indexOf(d.status), stalenessOf(now - d.fixAt));
  const layers: Layer[] = [
    new ScatterplotLayer<NaiveOfficer>({
      id: `${OFFICERS_ID}-naive`,
      data: objects,
      getPosition: (d) => [d.lon, d.lat],
      getFillColor: color,
      radiusUnits: 'pixels',
      getRadius: 5.5,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      getLineColor: [8, 16, 26, 255],
      pickable: true,
    }),
  ];
  if (map.getZoom() < HEADING_ZOOM) return layers;
  layers.push(
    new IconLayer<NaiveOfficer>({
      id: `${OFFICER_HEADINGS_ID}-naive`,
      data: objects,
      iconAtlas: atlas,
      iconMapping: ARROW_MAPPING,
      getIcon: () => 'arrow',
      getPosition: (d) => [d.lon, d.lat],
      getAngle: (d) => -(d.heading ?? 0),
      getColor: (d) => [12, 22, 34, d.heading === null ? 0 : 255],
      sizeUnits: 'pixels',
      getSize: 8.8,
    }),
  );
  return layers;
}

/** The naive map's state: one object per officer, by id. */
const naiveState = new Map<string, NaiveOfficer>(
  snapshot.officers.ids.map((id, i) => [
    id,
    {
      id,
      name: snapshot.officers.names[i],
      number: snapshot.officers.numbers[i],
      lon: snapshot.officers.lon[i],
      lat: snapshot.officers.lat[i],
      status: MAP_OFFICER_STATUSES[snapshot.officers.status[i]],
      heading: null,
      fixAt: snapshot.officers.fixAt[i],
    },
  ]),
);

/**
 * The naive path: the fixes arrive as objects (a structured clone, as over Electron IPC), each
 * replaces its officer's object, the array is rebuilt and handed to the same deck.gl layers
 * with accessors.
 */
function naiveRound(): { updateMs: number; receiveMs: number } {
  const { fixes } = takeBatch();
  const t0 = performance.now();
  const received = structuredClone({ fixes }).fixes;
  const t1 = performance.now();
  for (const f of received) {
    const o = naiveState.get(f.officerId);
    if (o)
      naiveState.set(f.officerId, {
        ...o,
        lon: f.lon,
        lat: f.lat,
        status: f.status,
        heading: f.heading,
        fixAt: f.at,
      });
  }
  engine.setExtraLayers(naiveLayers(Array.from(naiveState.values()), Date.now()));
  flushLayers();
  return { updateMs: performance.now() - t0, receiveMs: t1 - t0 };
}

interface PointFeature {
  type: 'Feature';
  properties: { id: string; status: number; heading: number };
  geometry: { type: 'Point'; coordinates: [number, number] };
}

/** The other naive path: a maplibre GeoJSON source re-set with 10,000 features. */
async function geojsonRound(): Promise<{ updateMs: number; drawnMs: number }> {
  const { batch } = takeBatch();
  const t0 = performance.now();
  const features: PointFeature[] = new Array<PointFeature>(batch.count);
  for (let k = 0; k < batch.count; k++) {
    features[k] = {
      type: 'Feature',
      properties: {
        id: snapshot.officers.ids[batch.index[k]],
        status: batch.status[k],
        heading: batch.heading[k],
      },
      geometry: { type: 'Point', coordinates: [batch.lon[k], batch.lat[k]] },
    };
  }
  // setData hands the collection to maplibre's worker; its promise is not the main thread's cost.
  void (map.getSource('naive-officers') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
  const t1 = performance.now();
  // Until the worker has re-tiled the points and the map has drawn them.
  await idle();
  gl?.finish();
  return { updateMs: t1 - t0, drawnMs: performance.now() - t0 };
}

function addGeojsonLayer(): void {
  if (map.getSource('naive-officers')) return;
  map.addSource('naive-officers', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: 'naive-officers',
    type: 'circle',
    source: 'naive-officers',
    paint: {
      'circle-radius': 4,
      'circle-color': [
        'match',
        ['get', 'status'],
        0,
        toCss(OFFICER_COLOR_TABLE[0]),
        1,
        toCss(OFFICER_COLOR_TABLE[1]),
        2,
        toCss(OFFICER_COLOR_TABLE[2]),
        5,
        toCss(OFFICER_COLOR_TABLE[5]),
        '#888',
      ],
    },
  });
}

async function idle(): Promise<void> {
  await new Promise<void>((resolve) => {
    if (map.loaded() && !map.isMoving()) {
      map.once('idle', () => resolve());
      map.triggerRepaint();
    } else map.once('idle', () => resolve());
  });
}

/** Pans by `stepPx` a frame: JS time of each synchronous frame, and the whole frame with the GPU's part. */
async function panFrames(
  frames: number,
  stepPx: number,
): Promise<{ js: ReturnType<typeof stats>; full: ReturnType<typeof stats> }> {
  const js: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < frames; i++) {
    await settle();
    map.panBy([i % 2 ? -stepPx : stepPx, 0], { duration: 0 });
    js.push(frameMs());
    await settle();
    map.panBy([i % 2 ? -stepPx : stepPx, 0], { duration: 0 });
    full.push(fullFrameMs());
  }
  return { js: stats(js), full: stats(full) };
}

/** The binary path and the naive one in alternation, so load on the machine falls on both. */
async function updateRounds() {
  for (let i = 0; i < 5; i++) {
    naiveRound();
    binaryRound();
  }
  const bin: ReturnType<typeof binaryRound>[] = [];
  const naive: ReturnType<typeof naiveRound>[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await settle();
    bin.push(binaryRound());
    await settle();
    naive.push(naiveRound());
  }
  engine.setExtraLayers([]);
  flushLayers();
  await idle();
  return {
    zoom: map.getZoom(),
    binary: {
      update: stats(bin.map((r) => r.updateMs)),
      receive: stats(bin.map((r) => r.receiveMs)),
      write: stats(bin.map((r) => r.writeMs)),
      props: stats(bin.map((r) => r.propsMs)),
      deck: stats(bin.map((r) => r.deckMs)),
    },
    naive: { update: stats(naive.map((r) => r.updateMs)), receive: stats(naive.map((r) => r.receiveMs)) },
  };
}

async function run() {
  await idle();
  const counts = {
    grids: areas.grids.count,
    villages: areas.villages.count,
    towns: areas.towns.count,
    officers: snapshot.officers.count,
    cameras: snapshot.cameras.count,
    cases: snapshot.cases.count,
  };
  const still: number[] = [];
  for (let i = 0; i < 10; i++) {
    await settle();
    still.push(frameMs());
  }
  const baseFrame = stats(still);

  // Until drawn: the update, deck.gl's next animation frame and the GPU's part of that frame.
  const binDrawn: number[] = [];
  for (let i = 0; i < 20; i++) {
    await settle();
    const t0 = performance.now();
    engine.applyPositions(takeBatch().batch);
    await nextFrame();
    await nextFrame();
    gl?.finish();
    binDrawn.push(performance.now() - t0);
  }
  // Web host: the same batch arrives as base64 and is decoded in the renderer's bridge.
  const sample = takeBatch();
  const wire = JSON.stringify(encodeTypedJson(sample.batch));
  const wireObjects = JSON.stringify({ fixes: sample.fixes });
  const decode = Array.from({ length: 20 }, () => {
    const t0 = performance.now();
    decodeTypedJson(JSON.parse(wire));
    return performance.now() - t0;
  });
  const decodeObjects = Array.from({ length: 20 }, () => {
    const t0 = performance.now();
    JSON.parse(wireObjects);
    return performance.now() - t0;
  });

  const city = await updateRounds();
  map.jumpTo({ center: [113.885, 22.9], zoom: 12.5 });
  await idle();
  const town = await updateRounds();
  const panTown = await panFrames(20, 40);
  map.jumpTo({ center: [113.885, 22.9], zoom: POINT_ZOOM });
  await idle();

  addGeojsonLayer();
  await idle();
  for (let i = 0; i < 3; i++) await geojsonRound();
  const geo: Awaited<ReturnType<typeof geojsonRound>>[] = [];
  for (let i = 0; i < 20; i++) {
    await settle();
    geo.push(await geojsonRound());
  }
  map.removeLayer('naive-officers');
  map.removeSource('naive-officers');
  await idle();

  const panCity = await panFrames(20, 40);

  // A million managed places, shown from zoom 15.
  const places = syntheticPlaces(1_000_000);
  const tp = performance.now();
  engine.setPlaces(places);
  flushLayers();
  const placesLoadMs = performance.now() - tp;
  map.jumpTo({ center: [113.885, 22.9], zoom: 15.5 });
  await idle();
  const visible = engine.layers.find((l) => l.id === 'places')?.props.visible ?? false;
  const placesPan = await panFrames(10, 40);
  engine.setToggles({ ...DEFAULT_TOGGLES, places: false });
  await idle();
  const noPlacesPan = await panFrames(10, 40);

  return {
    userAgent: navigator.userAgent,
    viewport: [innerWidth, innerHeight, devicePixelRatio],
    gcBetweenSteps: collectGarbage !== undefined,
    counts,
    setup: { generateMs, engineMs },
    baseFrame,
    city,
    town,
    binaryDrawn: stats(binDrawn),
    wireDecode: stats(decode),
    wireDecodeObjects: stats(decodeObjects),
    geojson: { update: stats(geo.map((r) => r.updateMs)), drawn: stats(geo.map((r) => r.drawnMs)) },
    pan: { city: panCity, town: panTown },
    places: { count: places.count, loadMs: placesLoadMs, visible, pan: placesPan, panWithout: noPlacesPan },
  };
}

declare global {
  interface Window {
    mapBench?: { run: typeof run; showPlaces: typeof showPlaces };
  }
}
/** After run(): the places view again, for a screenshot. */
async function showPlaces(): Promise<void> {
  engine.setToggles(DEFAULT_TOGGLES);
  await idle();
}

window.mapBench = { run, showPlaces };
document.getElementById('map')?.setAttribute('data-bench', 'ready');
