// The whole layer stack as one pure function of the map's data and UI state, bottom to top.
// deck.gl matches layers by id and compares props; with a LayerCache, layers whose inputs did
// not change are not even rebuilt.
import type { MapCases } from '../../ipc/map-data';
import type { AreaLevel, AreaPath, MapAreas } from '../areas';
import type { Choropleth } from '../choropleth';
import type { OfficerBuffers } from '../officer-buffers';
import type { PointBuffers } from '../point-buffers';
import type { LayerToggles } from '../settings';
import {
  areaShadingLayer,
  boundaryLayer,
  cityLineLayer,
  gridsLayer,
  landLayer,
  selectedAreaLayer,
  VILLAGE_LINES_ZOOM,
} from './area-layers';
import { labelsLayer, type LabelSet } from './labels-layer';
import type { IconAtlas, LayerFactory } from './layer-factory';
import { officerHeadingsLayer, officersLayer } from './officers-layer';
import { camerasLayer, casesLayer, newCasesLayer, placesLayer } from './point-layers';
import { selectionLayer, type SelectedPoint } from './selection-layer';
import { alertsLayer, alertsPulseLayer, type MapAlert } from './alerts-layer';
import { tracksLayer, type Replay } from './tracks-layer';
import { HEADING_ZOOM, POINT_ZOOM } from '../zoom-rules';
import { AGG_PARTS, aggregateLayer, type AggView } from './aggregate-layers';

export interface LayerInputs {
  areas: MapAreas;
  /**
   * A raster tile service is drawn: the base style draws the land under the tiles and the city's
   * outline over them. Without one the land and the outline are the first two layers here.
   */
  tiles: boolean;
  labels: Record<AreaLevel, LabelSet>;
  choropleth: Choropleth;
  officers: OfficerBuffers;
  cameras: PointBuffers;
  cases: PointBuffers;
  caseColumns: MapCases;
  places: PointBuffers | null;
  arrowAtlas: IconAtlas;
  /** Counts per town or village for the city view (below POINT_ZOOM); null at point zoom. */
  agg: AggView | null;
}

export interface LayerUi {
  zoom: number;
  toggles: LayerToggles;
  selectedArea: { level: AreaLevel; paths: AreaPath[] } | null;
  selectedPoints: readonly SelectedPoint[] | null;
  newCases: readonly number[];
  pulsePhase: number;
  /** Unacknowledged alerts, drawn at every zoom (alerts-layer.ts). */
  alerts: readonly MapAlert[];
  /** False when the user asked for reduced motion: no pulsing ring. */
  motion: boolean;
  replay: Replay | null;
  replayTime: number;
  replayTrail: number;
}

/**
 * The last layer each builder made, with the inputs it made it from. A layer whose inputs are
 * the same objects is handed to deck.gl again as the same instance, which deck.gl skips without
 * diffing its props: a position batch then costs the two officer layers and nothing else.
 */
export class LayerCache<L> {
  private readonly entries = new Map<string, { deps: readonly unknown[]; layer: L }>();

  get(key: string, deps: readonly unknown[], make: () => L): L {
    const e = this.entries.get(key);
    if (e && e.deps.length === deps.length && e.deps.every((d, i) => Object.is(d, deps[i]))) return e.layer;
    const layer = make();
    this.entries.set(key, { deps, layer });
    return layer;
  }
}

export function buildLayers<L>(
  f: LayerFactory<L>,
  d: LayerInputs,
  ui: LayerUi,
  cache = new LayerCache<L>(),
): L[] {
  const t = ui.toggles;
  const z = ui.zoom;
  const officerRadius = z < 11 ? 4 : z < 14 ? 5.5 : 7;
  // Below POINT_ZOOM (the city view) cases and officers are drawn as counts per area, not as dots.
  const points = z >= POINT_ZOOM;
  const agg = points ? null : d.agg;
  const aggLevel = agg?.counts.level ?? null;
  const officers = t.officers && points;
  const cases = t.cases && points;
  const headings = officers && z >= HEADING_ZOOM;
  const c = <A extends unknown[]>(key: string, deps: A, make: () => L): L => cache.get(key, deps, make);
  return [
    c('land', [d.areas, d.tiles], () => landLayer(f, d.areas, { visible: !d.tiles })),
    c('city-line', [d.areas, d.tiles], () => cityLineLayer(f, d.areas, { visible: !d.tiles })),
    c('area-shading', [d.areas, d.choropleth, t.areas], () =>
      areaShadingLayer(f, { areas: d.areas, choropleth: d.choropleth }, { visible: t.areas }),
    ),
    c('village-lines', [d.areas, z >= VILLAGE_LINES_ZOOM], () =>
      boundaryLayer(f, d.areas, 'village', { zoom: z }),
    ),
    c('town-lines', [d.areas, Math.round(z * 4)], () => boundaryLayer(f, d.areas, 'town', { zoom: z })),
    c('grids', [d.areas, z, t.grids], () => gridsLayer(f, d.areas, { zoom: z, visible: t.grids })),
    c('selected-area', [ui.selectedArea], () => selectedAreaLayer(f, ui.selectedArea)),
    c('places', [d.places, z, t.places], () => placesLayer(f, d.places, { zoom: z, visible: t.places })),
    c('cameras', [d.cameras, z, t.cameras], () =>
      camerasLayer(f, d.cameras, { zoom: z, visible: t.cameras }),
    ),
    c('officers', [d.officers, d.officers.version, officerRadius, officers], () =>
      officersLayer(f, d.officers, { visible: officers, radius: officerRadius }),
    ),
    // Hidden arrows keep the instance they had: a batch then uploads nothing for them.
    c(
      'officer-headings',
      headings
        ? [d.officers, d.officers.version, d.arrowAtlas, officerRadius]
        : [d.officers, d.arrowAtlas, 'hidden'],
      () => officerHeadingsLayer(f, d.officers, d.arrowAtlas, { visible: headings, radius: officerRadius }),
    ),
    // Names over the officers and video points (at town zoom they would vanish under hundreds
    // of dots) but under the cases, which a dispatcher must never lose behind a label.
    // In the town view the names are drawn above the bubbles (agg-names); in the village view
    // the villages' names would bury the bubbles, the towns' stay.
    c('town-labels', [d.labels.town, z, t.labels, aggLevel], () =>
      labelsLayer(f, d.labels.town, { zoom: z, visible: t.labels && aggLevel !== 'town' }),
    ),
    c('village-labels', [d.labels.village, z, t.labels, aggLevel], () =>
      labelsLayer(f, d.labels.village, { zoom: z, visible: t.labels && aggLevel !== 'village' }),
    ),
    c('grid-labels', [d.labels.grid, z, t.labels], () =>
      labelsLayer(f, d.labels.grid, { zoom: z, visible: t.labels }),
    ),
    c('cases', [d.cases, cases], () => casesLayer(f, d.cases, { visible: cases })),
    c('cases-new', [d.caseColumns, ui.newCases, ui.pulsePhase, cases], () =>
      newCasesLayer(f, d.caseColumns, ui.newCases, { phase: ui.pulsePhase, visible: cases }),
    ),
    ...AGG_PARTS.map((part) => {
      // names are placed for the lowest zoom of the quarter step the map is in (the engine
      // updates the zoom per quarter step), so they stay clear of each other all through it
      const zq = part === 'names' ? Math.floor(z * 4) / 4 : 0;
      return c(`agg-${part}`, [agg, t.cases, t.officers, t.labels, zq], () =>
        aggregateLayer(f, part, agg, {
          cases: t.cases,
          officers: t.officers,
          names: t.labels,
          zoom: part === 'names' ? zq : undefined,
        }),
      );
    }),
    c('tracks', [t.tracks, ui.replay, ui.replayTime, ui.replayTrail], () =>
      tracksLayer(f, t.tracks ? ui.replay : null, { time: ui.replayTime, trail: ui.replayTrail }),
    ),
    c('alerts-pulse', [ui.alerts, ui.pulsePhase, ui.motion], () =>
      alertsPulseLayer(f, ui.alerts, { phase: ui.pulsePhase, visible: ui.motion }),
    ),
    c('alerts', [ui.alerts], () => alertsLayer(f, ui.alerts)),
    c('selection', [ui.selectedPoints], () => selectionLayer(f, ui.selectedPoints)),
  ];
}
