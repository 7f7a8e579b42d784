// Video points, cases (with the new ones pulsing) and managed places.
import type { MapCases } from '../../ipc/map-data';
import type { PointBuffers } from '../point-buffers';
import { CAMERA_ZOOM, PLACE_ZOOM } from '../zoom-rules';
import type { LayerFactory } from './layer-factory';

export const CAMERAS_ID = 'cameras';
export const CASES_ID = 'cases';
export const NEW_CASES_ID = 'cases-new';
export const PLACES_ID = 'places';

export function camerasLayer<L>(
  f: LayerFactory<L>,
  view: PointBuffers,
  opts: { zoom: number; visible?: boolean },
): L {
  return f.scatterplot({
    id: CAMERAS_ID,
    data: view.data,
    radiusUnits: 'pixels',
    getRadius: opts.zoom >= 14 ? 4.5 : 3,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    updateTriggers: { getRadius: opts.zoom >= 14 },
    pickable: true,
    visible: (opts.visible ?? true) && opts.zoom >= CAMERA_ZOOM,
  });
}

export function casesLayer<L>(f: LayerFactory<L>, view: PointBuffers, opts: { visible?: boolean } = {}): L {
  return f.scatterplot({
    id: CASES_ID,
    data: view.data,
    radiusUnits: 'pixels',
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    pickable: true,
    visible: opts.visible ?? true,
  });
}

/**
 * Rings around the cases reported in the last minutes. `phase` (0..1) grows the ring and fades
 * it; it is a uniform (radiusScale, opacity), so animating it rebuilds nothing.
 */
export function newCasesLayer<L>(
  f: LayerFactory<L>,
  cases: MapCases,
  indices: readonly number[],
  opts: { phase: number; visible?: boolean },
): L {
  return f.scatterplot<number>({
    id: NEW_CASES_ID,
    data: indices,
    getPosition: (i) => [cases.lon[i], cases.lat[i]],
    radiusUnits: 'pixels',
    getRadius: 8,
    radiusScale: 1 + opts.phase * 1.5,
    stroked: true,
    filled: false,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    getLineColor: [255, 64, 129, 255],
    opacity: 1 - opts.phase * 0.8,
    updateTriggers: { getPosition: cases },
    visible: (opts.visible ?? true) && indices.length > 0,
  });
}

const NO_PLACES = { length: 0, attributes: {} };

export function placesLayer<L>(
  f: LayerFactory<L>,
  view: PointBuffers | null,
  opts: { zoom: number; visible?: boolean },
): L {
  return f.scatterplot({
    id: PLACES_ID,
    data: view?.data ?? NO_PLACES,
    radiusUnits: 'pixels',
    getRadius: 2.5,
    pickable: false,
    visible: (opts.visible ?? true) && opts.zoom >= PLACE_ZOOM && view !== null,
  });
}
