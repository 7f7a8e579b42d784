// How a managed place looks on the map at high zoom: fill by risk tier, a ring by
// inspection status (last visit against the tier's visit interval, or an open overdue work
// order). Pure and allocation-free per call, so a layer builder can run it over ~1M places:
// `placeStatusCode` for a typed column, `placeStatusColour` for the pixels.
import { PLACE_COLORS, type Rgb } from '../map/palette';
import { DEFAULT_INSPECTION_SETTINGS, TIER_NONE, type InspectionSettings } from './model';

/** 0 recent, 1 due soon, 2 overdue, 3 never inspected. */
export const PLACE_STATUSES = ['recent', 'due', 'overdue', 'never'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];
export const PLACE_STATUS_RECENT = 0;
export const PLACE_STATUS_DUE = 1;
export const PLACE_STATUS_OVERDUE = 2;
export const PLACE_STATUS_NEVER = 3;

/** Mean days in a month: an interval of 30.44 / visits days between visits. */
const DAYS_PER_MONTH = 30.44;
/** A visit counts as coming due in the last fifth of its interval. */
const DUE_SOON_SHARE = 0.8;
/** Calendar days after the interval before a place is overdue (≈ 3 working days of grace). */
const GRACE_DAYS = 5;

const SUBKINDS = ['shop', 'eatery', 'entertainment'] as const;
const TIERS = ['lenient', 'warning', 'strict', 'banned'] as const;

/** Visits a month of a place (0 when its plan has none). `subkind` 255 = rental. */
export function visitsPerMonth(
  tier: number,
  subkind: number,
  settings: InspectionSettings = DEFAULT_INSPECTION_SETTINGS,
): number {
  if (tier !== TIER_NONE && tier < TIERS.length) return settings.rentalVisitsPerMonth[TIERS[tier]];
  if (subkind < SUBKINDS.length) return settings.smallVenueVisitsPerMonth[SUBKINDS[subkind]];
  return 0;
}

/**
 * Status code of one place. `lastInspectionDay` and `today` are Shanghai day numbers (days since
 * 1970-01-01 in +08:00; 0 = never); `overdueOrder` is true when the place has an open work order
 * past its due day (the server's figure wins over the interval estimate).
 */
export function placeStatusCode(
  tier: number,
  subkind: number,
  lastInspectionDay: number,
  today: number,
  overdueOrder = false,
  settings: InspectionSettings = DEFAULT_INSPECTION_SETTINGS,
): number {
  if (overdueOrder) return PLACE_STATUS_OVERDUE;
  if (lastInspectionDay <= 0) return PLACE_STATUS_NEVER;
  const visits = visitsPerMonth(tier, subkind, settings);
  if (visits <= 0) return PLACE_STATUS_RECENT;
  const interval = DAYS_PER_MONTH / visits;
  const age = today - lastInspectionDay;
  if (age > interval + GRACE_DAYS) return PLACE_STATUS_OVERDUE;
  if (age > interval * DUE_SOON_SHARE) return PLACE_STATUS_DUE;
  return PLACE_STATUS_RECENT;
}

/** Ring colours by status: none for recent, amber due, red overdue, grey never. */
export const PLACE_STATUS_RINGS: readonly (Rgb | null)[] = [
  null,
  [255, 193, 7],
  [255, 23, 68],
  [120, 130, 140],
];

export interface PlaceLook {
  /** Fill: the tier's colour (PLACE_COLORS: 宽管 警示 严管 禁租, then "三小" venues). */
  fill: Rgb;
  /** Outline by inspection status, null when none is drawn. */
  ring: Rgb | null;
  status: PlaceStatus;
}

/** Fill and ring of a place: the map's colours for tier and inspection status. */
export function placeStatusColour(
  tier: number,
  subkind: number,
  lastInspectionDay: number,
  today: number,
  overdueOrder = false,
  settings: InspectionSettings = DEFAULT_INSPECTION_SETTINGS,
): PlaceLook {
  const code = placeStatusCode(tier, subkind, lastInspectionDay, today, overdueOrder, settings);
  const fill = tier !== TIER_NONE && tier < 4 ? PLACE_COLORS[tier] : PLACE_COLORS[4];
  return { fill, ring: PLACE_STATUS_RINGS[code], status: PLACE_STATUSES[code] };
}

export interface PlaceColumns {
  count: number;
  /** Dataset row of each place (MapPlaces.id / the place slice's id). */
  id: ArrayLike<number>;
  tier: ArrayLike<number>;
  subkind: ArrayLike<number>;
  lastInspectionDay: ArrayLike<number>;
}

/**
 * Status codes (PLACE_STATUSES index) of a column of places — e.g. the map's MapPlaces — with the
 * server's flags (`inspections.placeFlags`: overdue and missed ids) winning over the interval
 * estimate from the last inspection day. One pass, no allocation per place.
 */
export function placeStatusColumn(
  places: PlaceColumns,
  today: number,
  flagged: ReadonlySet<number> = new Set(),
  settings: InspectionSettings = DEFAULT_INSPECTION_SETTINGS,
): Uint8Array {
  const out = new Uint8Array(places.count);
  for (let i = 0; i < places.count; i++)
    out[i] = placeStatusCode(
      places.tier[i],
      places.subkind[i],
      places.lastInspectionDay[i],
      today,
      flagged.has(places.id[i]),
      settings,
    );
  return out;
}
