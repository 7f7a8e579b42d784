// The base map with no network: a maplibre style of water alone. The city as land and its outline
// are deck.gl layers (layers/area-layers.ts, like the town and village boundaries): as a GeoJSON
// source here the city held maplibre's `load` back (its worker tiles the source, then the main
// thread compiles a fill and a line program before the first complete frame). An operator may
// add a raster tile service (e.g. a government one): then the land and the city's outline are
// this style's again, under and over the tiles; the view drops the tiles when they cannot be
// reached. No symbol layers: the base style needs no glyph server (labels are deck.gl text, see
// layers/labels-layer.ts).
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

/** The tile URL the style draws: the operator's when it is usable, else none. */
export function styleTiles(tileUrl: string | null | undefined): string | null {
  return tileUrl && isTileUrl(tileUrl) ? tileUrl : null;
}

export function offlineStyle(areas: MapAreas, opts: { tileUrl?: string | null } = {}): StyleSpec {
  const tiles = styleTiles(opts.tileUrl);
  const water: OfflineLayer = { id: 'water', type: 'background', paint: { 'background-color': BASE.water } };
  // No source at all: maplibre's `load` comes with its first frame (the land is deck.gl's).
  if (!tiles) return { version: 8, name: 'grid-console-offline', sources: {}, layers: [water] };
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
      [TILE_SOURCE_ID]: { type: 'raster', tiles: [tiles], tileSize: 256, maxzoom: 19 },
    },
    layers: [
      water,
      { id: 'land', type: 'fill', source: 'city', paint: { 'fill-color': BASE.land, 'fill-opacity': 0.35 } },
      { id: TILE_LAYER_ID, type: 'raster', source: TILE_SOURCE_ID },
      {
        id: 'city-line',
        type: 'line',
        source: 'city',
        paint: { 'line-color': BASE.cityOutline, 'line-width': 2 },
      },
    ],
  };
}
