// The base map with no network: a maplibre style built from the seat's own divisions — water
// around the city, the city as land and its outline (town and village boundaries are deck.gl
// paths, layers/area-layers.ts: as GeoJSON sources here they held maplibre's `load` back). An operator may add a raster
// tile service (e.g. a government one) under the boundaries; the view drops it again when it
// cannot be reached. No symbol layers: the base style needs no glyph server (labels are
// deck.gl text, see layers/labels-layer.ts).
import type { MultiPolygon } from '../domain/geo';
import type { MapAreas } from './areas';
import { BASE } from './palette';

/** The subset of the maplibre style spec this map uses (the renderer hands it to maplibre as is). */
type LineWidth = number | ['interpolate', ['linear'], ['zoom'], number, number, number, number];
export type OfflineLayer =
  | { id: string; type: 'background'; paint: { 'background-color': string } }
  | { id: string; type: 'fill'; source: string; paint: { 'fill-color': string; 'fill-opacity': number } }
  | { id: string; type: 'raster'; source: string }
  | {
      id: string;
      type: 'line';
      source: string;
      minzoom?: number;
      paint: { 'line-color': string; 'line-width': LineWidth };
    };
export type OfflineSource =
  | { type: 'geojson'; data: PolygonFeatureCollection }
  | { type: 'raster'; tiles: string[]; tileSize: number; maxzoom: number };
export interface StyleSpec {
  version: 8;
  name: string;
  sources: Record<string, OfflineSource>;
  layers: OfflineLayer[];
}

export const TILE_SOURCE_ID = 'tiles';
export const TILE_LAYER_ID = 'tiles';

export interface PolygonFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { code: string };
    geometry: { type: 'MultiPolygon'; coordinates: MultiPolygon };
  }[];
}

/** A tile URL template an operator may enter: http(s) with {z}/{x}/{y}. */
export function isTileUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(url) && url.includes('{z}') && url.includes('{x}') && url.includes('{y}');
}

export function offlineStyle(areas: MapAreas, opts: { tileUrl?: string | null } = {}): StyleSpec {
  const tiles = opts.tileUrl && isTileUrl(opts.tileUrl) ? opts.tileUrl : null;
  const city: PolygonFeatureCollection = {
    type: 'FeatureCollection',
    features: areas.cityOutline
      ? [
          {
            type: 'Feature',
            properties: { code: 'city' },
            geometry: { type: 'MultiPolygon', coordinates: areas.cityOutline },
          },
        ]
      : [],
  };
  return {
    version: 8,
    name: 'grid-console-offline',
    sources: {
      city: { type: 'geojson', data: city },
      ...(tiles
        ? {
            [TILE_SOURCE_ID]: {
              type: 'raster' as const,
              tiles: [tiles],
              tileSize: 256,
              maxzoom: 19,
            },
          }
        : {}),
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': BASE.water } },
      {
        id: 'land',
        type: 'fill',
        source: 'city',
        paint: { 'fill-color': BASE.land, 'fill-opacity': tiles ? 0.35 : 1 },
      },
      ...(tiles ? [{ id: TILE_LAYER_ID, type: 'raster' as const, source: TILE_SOURCE_ID }] : []),
      {
        id: 'city-line',
        type: 'line',
        source: 'city',
        paint: { 'line-color': BASE.cityOutline, 'line-width': 2 },
      },
    ],
  };
}
