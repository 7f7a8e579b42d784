// Colours of the situation map. Everything drawn as a dot is opaque so a screenshot pixel has
// exactly one of these colours (the e2e test counts them); fills that shade areas are the only
// translucent paint.
import { MAP_CASE_STATES, MAP_OFFICER_STATUSES, MAP_PRIORITIES } from '../ipc/map-data';
import type { CaseState, OfficerStatus, Priority } from '../domain/case-model';

export type Rgb = readonly [number, number, number];
export type Rgba = readonly [number, number, number, number];

export const OFFICER_COLORS: Record<OfficerStatus, Rgb> = {
  patrol: [0, 230, 118],
  handling: [255, 171, 0],
  on_duty: [41, 182, 246],
  off_duty: [144, 164, 174],
  offline: [84, 96, 110],
  sos: [255, 23, 68],
};

/** Officer colours by status index (MAP_OFFICER_STATUSES order). */
export const OFFICER_COLOR_TABLE: readonly Rgb[] = MAP_OFFICER_STATUSES.map((s) => OFFICER_COLORS[s]);

export const CASE_PRIORITY_COLORS: Record<Priority, Rgb> = {
  emergency: [213, 0, 249],
  urgent: [255, 87, 34],
  normal: [255, 235, 59],
};
export const CASE_PRIORITY_TABLE: readonly Rgb[] = MAP_PRIORITIES.map((p) => CASE_PRIORITY_COLORS[p]);

/** The ring around a case dot says where it stands in the workflow. */
export const CASE_STATE_COLORS: Record<CaseState, Rgb> = {
  reported: [255, 255, 255],
  registered: [255, 255, 255],
  dispatched: [20, 30, 40],
  handling: [20, 30, 40],
  suspended: [120, 120, 120],
  returned: [255, 23, 68],
  feedback: [0, 230, 118],
  closed: [20, 30, 40],
  voided: [20, 30, 40],
};
export const CASE_STATE_TABLE: readonly Rgb[] = MAP_CASE_STATES.map((s) => CASE_STATE_COLORS[s]);
/** Ring of a case this console has an unconfirmed action on. */
export const CASE_PENDING_RING: Rgb = [0, 255, 255];

export const CAMERA_ONLINE: Rgb = [124, 77, 255];
export const CAMERA_OFFLINE: Rgb = [97, 97, 97];
export const CAMERA_OFFLINE_RING: Rgb = [229, 57, 53];

export const GRID_OUTLINE: Rgb = [0, 229, 255];
export const VILLAGE_OUTLINE: Rgb = [255, 209, 102];
export const TOWN_OUTLINE: Rgb = [255, 255, 255];
export const SELECTION: Rgb = [255, 64, 129];
/** Ring of an unacknowledged alert (alerts-layer.ts): a red no other paint uses. */
export const ALERT_RING: Rgb = [255, 0, 0];

export const BASE = {
  water: '#0e2a40',
  land: '#17212c',
  cityOutline: '#6d8fb3',
  town: '#41607f',
  village: '#2b4259',
};

/** Rental places by tier (宽管 警示 严管 禁租), small venues. */
export const PLACE_COLORS: readonly Rgb[] = [
  [129, 199, 132],
  [255, 213, 79],
  [255, 138, 101],
  [239, 83, 80],
  [144, 202, 249],
];

/** Five classes for counts where more is worse (yellow to deep red; alpha rises with the class). */
export const RAMP_BAD: readonly Rgb[] = [
  [255, 237, 160],
  [254, 178, 76],
  [253, 141, 60],
  [227, 26, 28],
  [177, 0, 38],
];
/** Five classes for coverage where more is better (officers on duty against planned). */
export const RAMP_GOOD: readonly Rgb[] = [
  [215, 48, 39],
  [252, 141, 89],
  [254, 224, 139],
  [145, 207, 96],
  [26, 152, 80],
];
/** Fill alpha of each class: the low classes stay light so the dots above them read. */
export const RAMP_ALPHA: readonly number[] = [50, 80, 105, 130, 155];

export const toCss = (c: Rgb, alpha = 1): string =>
  alpha === 1 ? `rgb(${c[0]}, ${c[1]}, ${c[2]})` : `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;

/** `a` moved toward `b` by `t` (0..1), rounded to bytes. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [
    Math.round(a[0] + (b[0] - a[0]) * t),
    Math.round(a[1] + (b[1] - a[1]) * t),
    Math.round(a[2] + (b[2] - a[2]) * t),
  ];
}

/**
 * City view (below POINT_ZOOM): a bubble per town or village sized by its open cases, coloured
 * by the share of them overdue (< 10 %, 10–30 %, ≥ 30 %); the officers on duty on a blue tag.
 */
export const AGG_CASE_COLORS: readonly Rgb[] = [
  [255, 193, 7],
  [255, 112, 67],
  [198, 40, 40],
];
export const AGG_OFFICER: Rgb = [21, 101, 192];
export const AGG_RING: Rgb = [10, 18, 28];
