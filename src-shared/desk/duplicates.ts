// 一事多报: which open reports look like one problem reported twice. A report is
// proposed as a duplicate of an earlier open case when both are of the same category and the same
// base grid, lie within DUPLICATE_RADIUS_M of each other and were reported within
// DUPLICATE_WINDOW_MS, and nobody is handling the newer one yet (case-merge.ts MERGEABLE_STATES).
// Same grid because a merge shows the duplicate's reporter, number and photos to everyone who sees
// the primary: across a grid line that would put one area's report in front of another's seats
// (case-merge.ts refuses it with MERGE_OTHER_GRID). The proposed primary is the
// EARLIEST such case (nearest on a tie), so three reports of one pothole all point at the first.
// A proposal is only a proposal: the seat merges (with a reason) or leaves it.
//
// Used by the case desk (the badge on the newer row, the proposal list) and by the simulated
// desks; the same rows, the same answer. Buckets of one radius per category keep it linear in
// the number of open cases (80,000 on a city seat).
import { MERGEABLE_STATES } from '../domain/case-merge';
import type { CaseState } from '../domain/case-model';
import { distanceM } from './recommend';

export const DUPLICATE_RADIUS_M = 100;
export const DUPLICATE_WINDOW_MS = 6 * 3_600_000;

export interface DuplicateCandidate {
  id: string;
  state: CaseState;
  categoryCode: string;
  gridCode: string;
  lon: number;
  lat: number;
  reportedAt: number;
}

export interface DuplicateProposal {
  /** The newer report, proposed to be merged away. */
  caseId: string;
  /** The earlier case it would be merged into. */
  primaryId: string;
  distanceM: number;
  /** How much later the duplicate was reported (ms, ≥ 0). */
  gapMs: number;
}

const M_PER_DEG_LAT = 111_195;

/** Proposals by duplicate id. `rows` are open cases (closed/voided ones are never proposed). */
export function proposeDuplicates(
  rows: readonly DuplicateCandidate[],
  radiusM = DUPLICATE_RADIUS_M,
  windowMs = DUPLICATE_WINDOW_MS,
): Map<string, DuplicateProposal> {
  const out = new Map<string, DuplicateProposal>();
  if (rows.length < 2) return out;
  const cellLat = radiusM / M_PER_DEG_LAT;
  // Longitude cells sized at the southernmost row's latitude: never narrower than the radius.
  const maxAbsLat = Math.max(...rows.map((r) => Math.abs(r.lat)));
  const cellLon =
    radiusM / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((Math.min(89, maxAbsLat) * Math.PI) / 180)));
  const key = (r: DuplicateCandidate, x: number, y: number): string =>
    `${r.categoryCode}|${r.gridCode}|${x}|${y}`;
  const buckets = new Map<string, DuplicateCandidate[]>();
  for (const r of rows) {
    if (r.state === 'closed' || r.state === 'voided') continue;
    const k = key(r, Math.floor(r.lon / cellLon), Math.floor(r.lat / cellLat));
    const b = buckets.get(k);
    if (b) b.push(r);
    else buckets.set(k, [r]);
  }
  for (const c of rows) {
    if (!MERGEABLE_STATES.has(c.state)) continue;
    const cx = Math.floor(c.lon / cellLon);
    const cy = Math.floor(c.lat / cellLat);
    let best: DuplicateProposal | null = null;
    let bestAt = Number.POSITIVE_INFINITY;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const p of buckets.get(key(c, cx + dx, cy + dy)) ?? []) {
          if (p.id === c.id || !earlier(p, c)) continue;
          const gapMs = c.reportedAt - p.reportedAt;
          if (gapMs > windowMs) continue;
          const d = distanceM(c.lon, c.lat, p.lon, p.lat);
          if (d > radiusM) continue;
          if (p.reportedAt < bestAt || (p.reportedAt === bestAt && best !== null && d < best.distanceM)) {
            best = { caseId: c.id, primaryId: p.id, distanceM: d, gapMs };
            bestAt = p.reportedAt;
          }
        }
      }
    }
    if (best) out.set(c.id, best);
  }
  return out;
}

/** Report order, ties broken by id so two reports of the same millisecond do not point at each other. */
function earlier(a: DuplicateCandidate, b: DuplicateCandidate): boolean {
  return a.reportedAt < b.reportedAt || (a.reportedAt === b.reportedAt && a.id < b.id);
}
