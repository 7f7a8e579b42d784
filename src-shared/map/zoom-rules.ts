// What shows at which zoom. One place, so the legend, the layers and the tests agree.
import type { AreaLevel } from './areas';

/** Below this zoom the map shades towns; below GRID_ZOOM villages; from GRID_ZOOM base grids. */
export const VILLAGE_ZOOM = 10;
export const GRID_ZOOM = 12.5;
/** Grid outlines appear before grids are shaded, so a town seat sees its grids at once. */
export const GRID_OUTLINE_ZOOM = 11;
export const CAMERA_ZOOM = 11;
/**
 * Heading arrows from this zoom: below it the dots are a few pixels wide and an arrow cannot be
 * read, and the city's 10,000 officers are all on screen, so their arrows are not updated at all.
 */
export const HEADING_ZOOM = 11;
/** Managed places (hundreds of thousands) only when a few streets fill the screen. */
export const PLACE_ZOOM = 15;
/**
 * Cases and officers are drawn one by one from this zoom (a town fills the screen); below it the
 * map draws counts per town (below VILLAGE_ZOOM) or per village (see aggregate.ts).
 */
export const POINT_ZOOM = 11;
export const TOWN_LABEL_MAX_ZOOM = 11;
export const VILLAGE_LABEL_ZOOM: readonly [number, number] = [10, 14.5];
export const GRID_LABEL_ZOOM = 14;

export function areaLevelForZoom(zoom: number): AreaLevel {
  return zoom < VILLAGE_ZOOM ? 'town' : zoom < GRID_ZOOM ? 'village' : 'grid';
}

/** Fly-to zoom for a search hit of each kind. */
export const FLY_ZOOM = { town: 11.5, village: 13, grid: 14.5, officer: 16, camera: 16, case: 16 } as const;
