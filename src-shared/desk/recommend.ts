// Dispatch recommendation, pure: rank the officers who could take a case by grid membership,
// distance from their last fix, status and current load, and say why in reason codes the UI
// translates. The reporter is never offered (采办分离: who finds does not handle). And the
// handling units the 权责清单 allows within the seat's jurisdiction (rankUnits).
import type { OfficerStatus } from '../domain/case-model';
import { dispatchUnits, handlingRuleOf, unitLevelOf, type HandlingLevel } from '../domain/handling-units';
import type { Department } from '../protocol/entities';

export interface RecommendCase {
  lon: number;
  lat: number;
  gridCode: string;
  reporterId: string;
}

export interface RecommendOfficer {
  id: string;
  name: string;
  number: string;
  kind: 'grid' | 'mobile' | 'department';
  gridCodes: readonly string[];
  homeGridCode: string | null;
  villageCode: string | null;
  townCode: string | null;
}

export interface RecommendFix {
  status: OfficerStatus;
  lon: number;
  lat: number;
  at: number;
}

export type ReasonCode =
  | 'home_grid' // 一员一格: the case lies in the officer's own grid
  | 'covers_grid' // 一员多格: one of the grids the officer covers
  | 'same_village'
  | 'mobile_squad'
  | 'distance' // metres from the last fix
  | 'no_fix'
  | 'stale' // minutes since the last fix
  | 'status' // the status word
  | 'load'; // open cases held

export interface Reason {
  code: ReasonCode;
  value?: number | string;
  /** Counts for (+1) or against (−1) the officer. */
  sign: 1 | 0 | -1;
}

export interface RankedOfficer {
  officerId: string;
  name: string;
  number: string;
  status: OfficerStatus | null;
  distanceM: number | null;
  load: number;
  /** Lower is better. */
  score: number;
  reasons: Reason[];
}

export interface RecommendOptions {
  now: number;
  /** A fix older than this is stale (default 10 min, the officer-offline threshold). */
  staleAfterMs?: number;
  limit?: number;
  /** Officers farther than this from the case and outside its village are not considered. */
  maxDistanceM?: number;
}

const R = 6_371_008.8;
const rad = Math.PI / 180;

export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Score penalties, in "metres of walking" so the terms add up meaningfully. */
const STATUS_COST: Record<OfficerStatus, number> = {
  on_duty: 0, // idle at their post: free now
  patrol: 150,
  handling: 900, // busy with another case
  off_duty: 6_000,
  offline: 8_000,
  sos: Number.POSITIVE_INFINITY, // never send more work to an officer calling for help
};
const LOAD_COST = 400;
const HOME_GRID_BONUS = 1_200;
const COVERS_GRID_BONUS = 800;
const SAME_VILLAGE_BONUS = 300;
const NO_FIX_COST = 3_000;
const STALE_COST = 4_000;

export function rankOfficers(
  c: RecommendCase,
  officers: readonly RecommendOfficer[],
  fixes: ReadonlyMap<string, RecommendFix>,
  loads: ReadonlyMap<string, number>,
  options: RecommendOptions,
): RankedOfficer[] {
  const staleAfter = options.staleAfterMs ?? 10 * 60_000;
  const maxDistance = options.maxDistanceM ?? 5_000;
  const villageCode = c.gridCode.slice(0, 12);
  const townCode = c.gridCode.slice(0, 9);
  const out: RankedOfficer[] = [];
  for (const o of officers) {
    if (o.kind === 'department' || o.id === c.reporterId) continue;
    const reasons: Reason[] = [];
    let score = 0;
    const home = o.homeGridCode === c.gridCode;
    const covers = !home && o.gridCodes.includes(c.gridCode);
    const sameVillage = !home && !covers && o.villageCode === villageCode;
    if (home) {
      score -= HOME_GRID_BONUS;
      reasons.push({ code: 'home_grid', sign: 1 });
    } else if (covers) {
      score -= COVERS_GRID_BONUS;
      reasons.push({ code: 'covers_grid', sign: 1 });
    } else if (sameVillage) {
      score -= SAME_VILLAGE_BONUS;
      reasons.push({ code: 'same_village', sign: 1 });
    } else if (o.kind === 'mobile' && o.townCode === townCode) {
      reasons.push({ code: 'mobile_squad', sign: 0 });
    }
    const fix = fixes.get(o.id) ?? null;
    let distance: number | null = null;
    let status: OfficerStatus | null = null;
    if (fix) {
      distance = distanceM(fix.lon, fix.lat, c.lon, c.lat);
      status = fix.status;
      const age = options.now - fix.at;
      if (age > staleAfter) {
        score += STALE_COST;
        reasons.push({ code: 'stale', value: Math.round(age / 60_000), sign: -1 });
      }
      score += STATUS_COST[fix.status];
      reasons.push({
        code: 'status',
        value: fix.status,
        sign: fix.status === 'on_duty' || fix.status === 'patrol' ? 1 : -1,
      });
      score += distance;
      reasons.push({
        code: 'distance',
        value: Math.round(distance),
        sign: distance < 500 ? 1 : distance > 2_000 ? -1 : 0,
      });
    } else {
      score += NO_FIX_COST;
      reasons.push({ code: 'no_fix', sign: -1 });
    }
    if (!Number.isFinite(score)) continue;
    if (!home && !covers && !sameVillage && (distance === null || distance > maxDistance)) continue;
    const load = loads.get(o.id) ?? 0;
    score += load * LOAD_COST;
    reasons.push({ code: 'load', value: load, sign: load === 0 ? 1 : load >= 3 ? -1 : 0 });
    out.push({
      officerId: o.id,
      name: o.name,
      number: o.number,
      status,
      distanceM: distance,
      load,
      score,
      reasons,
    });
  }
  out.sort((a, b) => a.score - b.score || (a.officerId < b.officerId ? -1 : 1));
  return out.slice(0, options.limit ?? 5);
}

/** A handling unit the desk recommends for a case (issue 17 §3), with its level as the reason. */
export interface RankedUnit {
  code: string;
  name: string;
  nameEn: string;
  level: HandlingLevel;
  /** The town department the 权责清单 names for the category, or the category's own city bureau. */
  named: boolean;
}

/**
 * The units a seat may send the case to, best first (handling-units.ts dispatchUnits: the
 * village's committee, the town department the 权责清单 names, the category's bureau…).
 */
export function rankUnits(
  c: { gridCode: string; categoryCode: string },
  units: readonly Department[],
  seatScope: string,
  bureau: string | null,
  limit = 3,
): RankedUnit[] {
  const townUnit = handlingRuleOf(c.categoryCode).townUnit;
  return dispatchUnits(c, units, seatScope, bureau)
    .slice(0, limit)
    .map((d) => {
      const level = unitLevelOf(d);
      return {
        code: d.code,
        name: d.name,
        nameEn: d.nameEn,
        level,
        named:
          level === 'village' ||
          (level === 'town' && townUnit !== null && d.code.endsWith(townUnit)) ||
          d.code === bureau,
      };
    });
}
