// Towns, villages and base grids: the shading of the current level (choropleth) and the grid
// outlines. Pure builders (see layer-factory.ts): same inputs, same layer props; ids never change.
import type { Polygon, Ring } from '../../domain/geo';
import type { AreaLevel, AreaPath, AreaPolygon, MapAreas } from '../areas';
import { areaSet } from '../areas';
import type { Choropleth } from '../choropleth';
import { BASE, GRID_OUTLINE, SELECTION, TOWN_OUTLINE, VILLAGE_OUTLINE, type Rgb } from '../palette';
import { GRID_OUTLINE_ZOOM } from '../zoom-rules';
import type { LayerFactory } from './layer-factory';

export const LAND_ID = 'land';
export const CITY_LINE_ID = 'city-line';
export const AREA_SHADING_ID = 'area-shading';
export const GRIDS_ID = 'grids';
export const SELECTED_AREA_ID = 'selected-area';
export const VILLAGE_LINES_ID = 'village-lines';
export const TOWN_LINES_ID = 'town-lines';
/** Village boundaries from this zoom (below it they are a mesh at city scale). */
export const VILLAGE_LINES_ZOOM = 9.5;

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

const hex = (c: string): Rgb => [
  Number.parseInt(c.slice(1, 3), 16),
  Number.parseInt(c.slice(3, 5), 16),
  Number.parseInt(c.slice(5, 7), 16),
];
const TOWN_LINE = [...hex(BASE.town), 255] as const;
const VILLAGE_LINE = [...hex(BASE.village), 255] as const;

/**
 * Town and village boundaries. They were the base style's GeoJSON sources; as deck.gl paths
 * (the areas' own outlines) maplibre has no big source to tile in its worker before `load`,
 * which kept the first complete frame of a city seat waiting for a second and more.
 */
export function boundaryLayer<L>(
  f: LayerFactory<L>,
  areas: MapAreas,
  level: 'town' | 'village',
  opts: { zoom: number },
): L {
  const town = level === 'town';
  const z = opts.zoom;
  // The town line widens with the zoom as the style's did (1 px at 8 to 2.5 px at 13).
  const width = town ? Math.min(2.5, Math.max(1, 1 + ((z - 8) * 1.5) / 5)) : 1;
  return f.path<AreaPath>({
    id: town ? TOWN_LINES_ID : VILLAGE_LINES_ID,
    data: areaSet(areas, level).paths,
    getPath: (d) => d.path,
    getColor: town ? [...TOWN_LINE] : [...VILLAGE_LINE],
    getWidth: Math.round(width * 4) / 4,
    widthUnits: 'pixels',
    visible: town || z >= VILLAGE_LINES_ZOOM,
  });
}

const LAND = [...hex(BASE.land), 255] as const;
const CITY_LINE = [...hex(BASE.cityOutline), 255] as const;
const NO_POLYGONS: Polygon[] = [];

/**
 * The city as land under everything (the water is the base style's background). Drawn here, not
 * by the base style, so maplibre has no source to load before its first complete frame; with a
 * raster tile service the style draws it again under the tiles (`visible` false here).
 */
export function landLayer<L>(f: LayerFactory<L>, areas: MapAreas, opts: { visible: boolean }): L {
  return f.solidPolygon<Polygon>({
    id: LAND_ID,
    data: areas.cityOutline ?? NO_POLYGONS,
    getPolygon: (d) => d,
    getFillColor: [...LAND],
    visible: opts.visible,
  });
}

/** The city's outline over the land (2 px, as the base style drew it). */
export function cityLineLayer<L>(f: LayerFactory<L>, areas: MapAreas, opts: { visible: boolean }): L {
  return f.path<Ring>({
    id: CITY_LINE_ID,
    data: areas.cityOutline?.flat() ?? [],
    getPath: (d) => d,
    getColor: [...CITY_LINE],
    getWidth: 2,
    widthUnits: 'pixels',
    visible: opts.visible,
  });
}
