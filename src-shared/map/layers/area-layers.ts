// Towns, villages and base grids: the shading of the current level (choropleth) and the grid
// outlines. Pure builders (see layer-factory.ts): same inputs, same layer props; ids never change.
import type { AreaLevel, AreaPath, AreaPolygon, MapAreas } from '../areas';
import { areaSet } from '../areas';
import type { Choropleth } from '../choropleth';
import { GRID_OUTLINE, SELECTION, TOWN_OUTLINE, VILLAGE_OUTLINE } from '../palette';
import { GRID_OUTLINE_ZOOM } from '../zoom-rules';
import type { LayerFactory } from './layer-factory';

export const AREA_SHADING_ID = 'area-shading';
export const GRIDS_ID = 'grids';
export const SELECTED_AREA_ID = 'selected-area';

export interface AreasView {
  areas: MapAreas;
  choropleth: Choropleth;
}

/**
 * The areas of the zoom's level, filled by the choropleth. Always pickable (hover and click give
 * the area); with no choropleth the fill is all but transparent.
 */
export function areaShadingLayer<L>(
  f: LayerFactory<L>,
  view: AreasView,
  opts: { visible?: boolean } = {},
): L {
  const { choropleth } = view;
  const set = areaSet(view.areas, choropleth.level);
  const colors = choropleth.colors;
  const none = choropleth.mode === 'none';
  return f.solidPolygon<AreaPolygon>({
    id: AREA_SHADING_ID,
    data: set.polygons,
    getPolygon: (d) => d.polygon,
    getFillColor: (d) => {
      const o = d.area * 4;
      return none || colors[o + 3] === 0
        ? [0, 0, 0, 1]
        : [colors[o], colors[o + 1], colors[o + 2], colors[o + 3]];
    },
    updateTriggers: { getFillColor: [choropleth] },
    pickable: true,
    visible: opts.visible ?? true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 40],
  });
}

/** Base-grid outlines (town and village boundaries are drawn by the base style below). */
export function gridsLayer<L>(
  f: LayerFactory<L>,
  areas: MapAreas,
  opts: { zoom: number; visible?: boolean },
): L {
  return f.path<AreaPath>({
    id: GRIDS_ID,
    data: areas.grids.paths,
    getPath: (d) => d.path,
    getColor: [...GRID_COLOR],
    getWidth: opts.zoom >= 14 ? 2 : 1,
    widthUnits: 'pixels',
    updateTriggers: { getWidth: opts.zoom >= 14 },
    visible: (opts.visible ?? true) && opts.zoom >= GRID_OUTLINE_ZOOM,
  });
}

const OUTLINE_BY_LEVEL = {
  town: [...TOWN_OUTLINE, 255],
  village: [...VILLAGE_OUTLINE, 255],
  grid: [...SELECTION, 255],
} as const;
const GRID_COLOR = [...GRID_OUTLINE, 255] as const;
const NO_PATHS: AreaPath[] = [];

/** The outline paths of one area (memoise it: a new array is new data to deck.gl). */
export function areaPaths(areas: MapAreas, level: AreaLevel, index: number): AreaPath[] {
  return areaSet(areas, level).paths.filter((p) => p.area === index);
}

/** The outline of the selected town, village or grid. */
export function selectedAreaLayer<L>(
  f: LayerFactory<L>,
  selected: { level: AreaLevel; paths: AreaPath[] } | null,
): L {
  return f.path<AreaPath>({
    id: SELECTED_AREA_ID,
    data: selected?.paths ?? NO_PATHS,
    getPath: (d) => d.path,
    getColor: [...OUTLINE_BY_LEVEL[selected?.level ?? 'grid']],
    getWidth: 3,
    widthUnits: 'pixels',
    updateTriggers: { getColor: selected?.level },
    visible: (selected?.paths.length ?? 0) > 0,
  });
}
