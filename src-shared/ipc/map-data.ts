// What the situation map draws, in columns. The map never receives full case or officer JSON
// for 100k objects: it gets typed arrays (moved as they are over Electron IPC, as base64 over
// the web host's WebSocket: typed-json.ts) that deck.gl uses directly as binary attributes.
//
// Officer positions stream as PositionBatch updates that address officers by their index in
// the MapSnapshot, so a 10,000-officer update is a few typed-array writes, not 10,000 objects.
import type { CaseState, OfficerStatus, PlaceKind, Priority, RentalTier } from '../domain/case-model';
import { CASE_STATES, OFFICER_STATUSES, PLACE_KINDS, PRIORITIES, RENTAL_TIERS } from '../domain/case-model';
import { OFFICER_KINDS } from '../protocol/entities';

export const MAP_CASE_STATES: readonly CaseState[] = CASE_STATES;
export const MAP_PRIORITIES: readonly Priority[] = PRIORITIES;
export const MAP_OFFICER_STATUSES: readonly OfficerStatus[] = OFFICER_STATUSES;
export const MAP_OFFICER_KINDS: readonly (typeof OFFICER_KINDS)[number][] = OFFICER_KINDS;
export const MAP_PLACE_KINDS: readonly PlaceKind[] = PLACE_KINDS;
export const MAP_RENTAL_TIERS: readonly RentalTier[] = RENTAL_TIERS;

/** A Uint16 dictionary index that names nothing (unknown grid or category). */
export const NO_INDEX = 65_535;
/** `MapPlaces.tier` / `subkind` of a place that has none. */
export const NO_TIER = 255;

/** Open cases of the seat's scope (closed and voided cases are not drawn). */
export interface MapCases {
  count: number;
  ids: string[];
  /**
   * Human case numbers 案件编号 (src-shared/domain/case-number.ts), '' while the server has not
   * allocated one (a case queued offline: shown as its provisional number, see mapCaseNumber).
   */
  numbers: string[];
  lon: Float64Array;
  lat: Float64Array;
  /** Index into MAP_CASE_STATES. */
  state: Uint8Array;
  /** Index into MAP_PRIORITIES. */
  priority: Uint8Array;
  /** Index into MapSnapshot.categoryCodes, or NO_INDEX. */
  category: Uint16Array;
  /** Index into MapSnapshot.gridCodes, or NO_INDEX when unknown. */
  grid: Uint16Array;
  reportedAt: Float64Array;
  /** NaN when the case has no deadline (not dispatched, or suspended). */
  dueAt: Float64Array;
  /** 1 when this console has an unconfirmed action on the case. */
  pending: Uint8Array;
}

/**
 * The answer to `map.cases(ids)`: the rows of those ids that are open now (same dictionaries
 * as the snapshot), and the ids to take off the map (closed, voided or no longer known).
 */
export interface MapCaseChanges {
  cases: MapCases;
  removed: string[];
}

export interface MapOfficers {
  count: number;
  /** Sorted by id; PositionBatch.index addresses this order. */
  ids: string[];
  names: string[];
  numbers: string[];
  /** Index into MAP_OFFICER_KINDS: 0 grid officer, 1 mobile squad, 2 department handler. */
  kind: Uint8Array;
  /** Index into MapSnapshot.gridCodes of the home grid, or NO_INDEX. */
  homeGrid: Uint16Array;
  /** Last known fix; NaN when none yet. */
  lon: Float64Array;
  lat: Float64Array;
  /** Index into MAP_OFFICER_STATUSES (offline, index 4, when no fix yet). */
  status: Uint8Array;
  /** Degrees from north, NaN when standing still. */
  heading: Float32Array;
  /** Time of the last fix (epoch ms), NaN when none. */
  fixAt: Float64Array;
}

export interface MapCameras {
  count: number;
  ids: string[];
  names: string[];
  lon: Float64Array;
  lat: Float64Array;
  online: Uint8Array;
  /** Degrees from north; NaN when unknown. */
  direction: Float32Array;
  /** Index into MapSnapshot.gridCodes, or NO_INDEX. */
  grid: Uint16Array;
}

/** Everything the map needs at start, for the seat's scope. */
export interface MapSnapshot {
  /**
   * Names the officer order: it changes exactly when the officer list changes (a hash of the
   * ordered ids), and position batches carry the version whose order they index.
   */
  version: number;
  scopeCode: string;
  /** Grids of the scope, sorted by code. */
  gridCodes: string[];
  /** Categories of the catalogue, sorted by code. */
  categoryCodes: string[];
  cases: MapCases;
  officers: MapOfficers;
  cameras: MapCameras;
}

/** A batch of officer fixes addressed by index into MapSnapshot.officers. */
export interface PositionBatch {
  version: number;
  count: number;
  index: Uint32Array;
  lon: Float64Array;
  lat: Float64Array;
  /** Index into MAP_OFFICER_STATUSES. */
  status: Uint8Array;
  /** NaN when standing still. */
  heading: Float32Array;
  fixAt: Float64Array;
}

/** Track of one officer: fixes in time order (for the TripsLayer replay). */
export interface OfficerTrack {
  officerId: string;
  lon: Float64Array;
  lat: Float64Array;
  /** Epoch ms, ascending. */
  at: Float64Array;
}

/**
 * Managed places 列管对象 of the seat's scope (rentals 出租屋 and "三小" venues), for the map
 * at high zoom. Served by the dispatch server (GET /api/places), kept beside the cache so it
 * works offline.
 */
export interface MapPlaces {
  count: number;
  /** The place's row in the dataset: its id is `P${id}`. */
  id: Uint32Array;
  /** Float32 is ≈ 1 m at Dongguan's longitudes: enough for a dot, half the bytes of Float64. */
  lon: Float32Array;
  lat: Float32Array;
  /** Index into MAP_PLACE_KINDS: 0 rental, 1 small venue. */
  kind: Uint8Array;
  /** Rentals: index into MAP_RENTAL_TIERS; small venues: NO_TIER. */
  tier: Uint8Array;
  /** Small venues: index into SMALL_VENUE_SUBKINDS (shop, eatery, entertainment); rentals: NO_TIER. */
  subkind: Uint8Array;
  /** Rentals: rental units (rooms/flats); small venues: 0. */
  units: Uint16Array;
  /** Index into gridCodes (the same list as MapSnapshot.gridCodes), or NO_INDEX. */
  grid: Uint16Array;
  /** Day of the last inspection: days since 1970-01-01 in +08:00. */
  lastInspectionDay: Uint16Array;
  gridCodes: string[];
  /** When this console last had the places confirmed by the server (epoch ms). */
  checkedAt: number;
  /** True when the server could not be asked this time and the stored copy was used. */
  offline: boolean;
}

export const TYPED_ARRAY_NAMES = [
  'Float64Array',
  'Float32Array',
  'Uint32Array',
  'Uint16Array',
  'Uint8Array',
  'Int32Array',
] as const;
export type TypedArrayName = (typeof TYPED_ARRAY_NAMES)[number];

/** Typed arrays do not survive JSON: the web host's wire form replaces each with a tagged base64. */
export interface EncodedTypedArray {
  $typed: TypedArrayName;
  /** The array's bytes, little-endian, base64. */
  b64: string;
}
