// Managed places 列管对象 (rental buildings 出租屋 and "三小" small venues) as a columnar table.
// One row per place; the row index is the place's id within the dataset ("P" + index).
// Rows are grouped by grid index (ascending), rentals before small venues within a grid.

import type { TableOf } from './binary-table';
import { allocTable, decodeTyped, encodeTyped } from './binary-table';
import { PLACE_KINDS, type RENTAL_TIERS } from '../domain/case-model';

export const PLACES_TABLE_NAME = 'places';

/** "三小" subkinds: 小商店 small shop, 小餐饮 small eatery, 小娱乐 small entertainment venue. */
export const SMALL_VENUE_SUBKINDS = ['shop', 'eatery', 'entertainment'] as const;
export type SmallVenueSubkind = (typeof SMALL_VENUE_SUBKINDS)[number];

/** Inspections per month for each rental tier (DOMAIN.md: 1 → 4 times a month). */
export const RENTAL_TIER_INSPECTIONS_PER_MONTH: Readonly<Record<(typeof RENTAL_TIERS)[number], number>> = {
  lenient: 1,
  warning: 2,
  strict: 3,
  banned: 4,
};

export const NO_TIER = 255;

export const PLACE_COLUMNS = [
  { name: 'lon', type: 'i32', doc: 'longitude in micro-degrees (1e-6°)' },
  { name: 'lat', type: 'i32', doc: 'latitude in micro-degrees (1e-6°)' },
  { name: 'grid', type: 'u16', doc: 'index into grids.json `grids` (the grid that contains the point)' },
  { name: 'kind', type: 'u8', doc: 'index into PLACE_KINDS (case-model.ts): 0 rental, 1 small_venue' },
  {
    name: 'tier',
    type: 'u8',
    doc: 'rentals: index into RENTAL_TIERS (0 lenient 宽管, 1 warning 警示, 2 strict 严管, 3 banned 禁租); small venues: 255',
  },
  { name: 'subkind', type: 'u8', doc: 'small venues: index into SMALL_VENUE_SUBKINDS; rentals: 255' },
  { name: 'units', type: 'u16', doc: 'rentals: number of rental units (rooms/flats); small venues: 0' },
  {
    name: 'lastInspectionDay',
    type: 'u16',
    doc: 'day of the last inspection, days since 1970-01-01 in +08:00',
  },
] as const;

export type PlacesTable = TableOf<typeof PLACE_COLUMNS>;

export function allocPlaces(rowCount: number): PlacesTable {
  return allocTable(PLACE_COLUMNS, rowCount);
}

export function encodePlaces(table: PlacesTable): Uint8Array {
  return encodeTyped(PLACES_TABLE_NAME, PLACE_COLUMNS, table);
}

export function decodePlaces(bytes: Uint8Array | ArrayBuffer): PlacesTable {
  return decodeTyped(PLACES_TABLE_NAME, PLACE_COLUMNS, bytes);
}

export const PLACE_KIND_RENTAL = PLACE_KINDS.indexOf('rental');
export const PLACE_KIND_SMALL_VENUE = PLACE_KINDS.indexOf('small_venue');
