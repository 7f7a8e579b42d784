// Setting up the map the engine draws on: maplibre's worker (started early), the maplibre map in
// the console's offline style with its own keyboard and rotation off, and the layer inputs and
// UI state of a fresh snapshot. Imported by map-engine.ts alone (the map's lazy chunk).
import * as maplibregl from 'maplibre-gl';
import workerSource from 'maplibre-gl/dist/maplibre-gl-worker.mjs?raw';
import 'maplibre-gl/dist/maplibre-gl.css';
import './map-canvas.css';
import type { MapSnapshot } from '../../../src-shared/ipc/map-data';
import type { AreaLevel, MapAreas } from '../../../src-shared/map/areas';
import { offlineStyle } from '../../../src-shared/map/base-style';
import { computeChoropleth, type ChoroplethMode } from '../../../src-shared/map/choropleth';
import type { LayerInputs, LayerUi } from '../../../src-shared/map/layers/build-layers';
import { labelSet } from '../../../src-shared/map/layers/labels-layer';
import { OfficerBuffers } from '../../../src-shared/map/officer-buffers';
import { cameraBuffers, caseBuffers, newCaseIndices } from '../../../src-shared/map/point-buffers';
import { createArrowAtlas, iconAtlasOf } from './arrow-atlas';
import type { LayerToggles, SavedView } from './map-settings';

// maplibre's worker from a blob: URL (the CSP allows worker-src blob:), not from a file URL:
// the Electron shell loads the renderer from file://, where a module worker script has no
// origin to be fetched under; a blob made from the bundled source works on both hosts.
maplibregl.setWorkerUrl(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
// Start maplibre's worker now, while the session and the map data load, not when the map is
// created: compiling its ~1 MB source is otherwise on the path to the first drawn map.
maplibregl.prewarm();

/** How long a case counts as new (it pulses). */
export const NEW_CASE_MS = 15 * 60_000;

/**
 * deck.gl 9.4's interleaved mode reads `map.transform` (its height, for the near/far planes);
 * maplibre 6 keeps the transform on the map's camera instead, so expose it where deck looks.
 */
function exposeTransform(map: maplibregl.Map): void {
  const m = map as unknown as { transform?: unknown; _camera?: { transform: unknown } };
  if (m.transform !== undefined || !m._camera) return;
  Object.defineProperty(map, 'transform', { get: () => m._camera?.transform, configurable: true });
}

/** Room for the legend (left) and the search box (top) when fitting the jurisdiction. */
export function homePadding(container: HTMLElement): {
  top: number;
  bottom: number;
  left: number;
  right: number;
} {
  const wide = container.clientWidth > 700 && container.clientHeight > 400;
  return wide ? { top: 64, bottom: 28, left: 220, right: 28 } : { top: 24, bottom: 24, left: 24, right: 24 };
}

/** The maplibre map: the saved view, or the whole jurisdiction fitted. */
export function createBaseMap(o: {
  container: HTMLElement;
  areas: MapAreas;
  initialView: SavedView | null;
  tileUrl: string | null;
}): maplibregl.Map {
  const [w, s, e, n] = o.areas.scopeBBox;
  const map = new maplibregl.Map({
    container: o.container,
    style: offlineStyle(o.areas, { tileUrl: o.tileUrl }),
    ...(o.initialView
      ? {
          center: o.initialView.center,
          zoom: o.initialView.zoom,
          bearing: o.initialView.bearing,
          pitch: o.initialView.pitch,
        }
      : {
          bounds: [w, s, e, n] as [number, number, number, number],
          fitBoundsOptions: { padding: homePadding(o.container) },
        }),
    maxZoom: 19,
    minZoom: 7,
    attributionControl: false,
    keyboard: false,
    boxZoom: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    fadeDuration: 0,
    canvasContextAttributes: { antialias: false, preserveDrawingBuffer: false },
  });
  map.touchZoomRotate.disableRotation();
  exposeTransform(map);
  return map;
}

/** The layer inputs of a first snapshot (the city view's counts are added by the engine). */
export function initialInputs(o: {
  areas: MapAreas;
  tiles: boolean;
  snapshot: MapSnapshot;
  mode: ChoroplethMode;
  level: AreaLevel;
  gridMap: Int32Array;
  now: number;
}): LayerInputs {
  return {
    areas: o.areas,
    tiles: o.tiles,
    labels: {
      town: labelSet(o.areas, 'town'),
      village: labelSet(o.areas, 'village'),
      grid: labelSet(o.areas, 'grid'),
    },
    choropleth: computeChoropleth(o.mode, o.level, o.areas, o.snapshot, o.gridMap, o.now),
    ...snapshotInputs(o.snapshot, o.now),
    places: null,
    arrowAtlas: iconAtlasOf(createArrowAtlas()),
    agg: null,
  };
}

/** The layer inputs made from a snapshot's columns (officers, cameras, cases). */
export function snapshotInputs(
  snapshot: MapSnapshot,
  now: number,
): Pick<LayerInputs, 'officers' | 'cameras' | 'cases' | 'caseColumns'> {
  return {
    officers: new OfficerBuffers(snapshot.officers, now),
    cameras: cameraBuffers(snapshot.cameras),
    cases: caseBuffers(snapshot.cases),
    caseColumns: snapshot.cases,
  };
}

/** The UI state before anything is selected, replayed or alerted. */
export function initialUi(o: {
  zoom: number;
  toggles: LayerToggles;
  caseColumns: MapSnapshot['cases'];
  reducedMotion: boolean;
  now: number;
}): LayerUi {
  return {
    zoom: o.zoom,
    toggles: o.toggles,
    selectedArea: null,
    selectedPoints: null,
    newCases: newCaseIndices(o.caseColumns, o.now, NEW_CASE_MS),
    pulsePhase: 0,
    alerts: [],
    motion: !o.reducedMotion,
    replay: null,
    replayTime: 0,
    replayTrail: 600,
  };
}
