// The seat's briefing rollups in the console: downloaded from the server (GET
// /api/briefing/rollups, If-None-Match) and kept beside the cache as briefing.bin (the gzipped
// slice exactly as it came) + briefing.json (ETag, scope, when last confirmed; slice-download.ts),
// so the briefing works offline from the last copy. The analyses run here, in the data worker: a city's
// briefing reads a few million counters, which must not stall a window.
import type { SeatHttpOptions } from './server-http';
import { SliceDownload, type HeldSlice, type RefreshOutcome } from './slice-download';
import {
  countedAsOf,
  drillMatches,
  type Briefing,
  type BriefingOptions,
  type DrillFilter,
} from '../../src-shared/briefing/briefing';
import { analyseWeek, lastCompleteWeek } from '../../src-shared/briefing/briefing';
import type { AreaDenominators } from '../../src-shared/briefing/normalise';
import { denominatorsFromDataset } from '../../src-shared/briefing/normalise';
import type { BriefingSlice } from '../../src-shared/briefing/slice';
import { decodeBriefingSlice, levelTotalsOf } from '../../src-shared/briefing/slice';
import type {
  BriefingDrillResult,
  BriefingHotSpot,
  BriefingReport,
  BriefingStatus,
  BriefingWeekOption,
} from '../../src-shared/briefing/view';
import { isoWeekLabel, weekEndMs, weekOfMs, weekStartMs } from '../../src-shared/briefing/weeks';
import type { Case, Grid, Officer } from '../../src-shared/protocol/entities';

export interface BriefingStoreOptions extends SeatHttpOptions {
  seatScope: string;
}

export type BriefingRefresh = RefreshOutcome;

/** What the analyses need of the console's cache. */
export interface BriefingCacheView {
  cases(): Case[];
  grids(): Grid[];
  officers(): Officer[];
}

const DRILL_LIMIT_DEFAULT = 200;

export class BriefingStore {
  private readonly rollups: SliceDownload<BriefingSlice, 'seatScope'>;
  private reports = new Map<string, BriefingReport>();
  private denominators: AreaDenominators | null = null;

  constructor(options: BriefingStoreOptions) {
    this.rollups = new SliceDownload({
      label: 'briefing',
      dir: options.dir,
      name: 'briefing',
      url: `${options.serverUrl}/api/briefing/rollups`,
      fetch: options.fetch,
      token: options.token,
      scopeField: 'seatScope',
      scope: options.seatScope,
      now: options.now,
      timeoutMs: options.timeoutMs ?? 60_000,
      log: options.log,
      decode: decodeBriefingSlice,
    });
  }

  get checked(): boolean {
    return this.rollups.checked;
  }

  close(): void {
    this.rollups.close();
  }

  /** Ask the server (once at a time; concurrent callers share the answer). */
  async refresh(): Promise<BriefingRefresh> {
    const outcome = await this.rollups.refresh();
    if (outcome === 'updated') this.reports.clear();
    return outcome;
  }

  /** The rollups held: in memory, else the stored file (null when none or damaged). */
  stored(): HeldSlice<BriefingSlice, 'seatScope'> | null {
    return this.rollups.stored();
  }

  // ---- analyses ----

  status(reason: string | null = null): BriefingStatus {
    const held = this.stored();
    if (!held) {
      return {
        available: false,
        reason,
        scopeCode: null,
        scopeName: null,
        level: null,
        areas: [],
        weeks: [],
        defaultWeek: null,
        asOfMs: null,
        checkedAt: null,
        fresh: false,
        bytes: 0,
      };
    }
    const { rollups, header } = held.slice;
    const scope = rollups.dims.resolveScope(header.scopeCode);
    const weeks: BriefingWeekOption[] = [];
    const first = weekOfMs(rollups.coverageStartMs);
    const last = weekOfMs(rollups.asOfMs - 1);
    for (let w = last; w >= first; w--) {
      const a = weekStartMs(w);
      const b = weekEndMs(w);
      const covered =
        Math.max(0, Math.min(b, rollups.asOfMs) - Math.max(a, rollups.coverageStartMs)) / (b - a);
      weeks.push({ week: w, label: isoWeekLabel(w), fromMs: a, covered });
    }
    return {
      available: true,
      reason,
      scopeCode: header.scopeCode,
      scopeName: scope?.name ?? header.scopeCode,
      level: scope?.level ?? null,
      areas: scope?.areas ?? [],
      weeks,
      defaultWeek: lastCompleteWeek(rollups),
      asOfMs: rollups.asOfMs,
      checkedAt: held.marker.checkedAt,
      fresh: this.rollups.checked,
      bytes: held.marker.bytes,
    };
  }

  /** Re-reads grids and officers for the per-grid / per-1,000-rentals / per-officer figures. */
  invalidateDenominators(): void {
    this.denominators = null;
    this.reports.clear();
  }

  /** The briefing of `scope` (default the seat's) for `week` (default the last complete week). */
  analyse(
    cache: BriefingCacheView,
    week: number | null,
    scope: string | null,
    extra: Pick<BriefingOptions, 'rising' | 'callIn' | 'baselineWeeks'> = {},
  ): BriefingReport {
    const held = this.stored();
    if (!held) throw new Error('the briefing rollups have not been downloaded yet');
    const { rollups, header } = held.slice;
    const scopeCode = scope ?? header.scopeCode;
    const key = `${held.marker.etag}|${scopeCode}|${week ?? 'last'}|${JSON.stringify(extra)}`;
    const known = this.reports.get(key);
    if (known) return known;
    this.denominators ??= denominatorsFromDataset(
      rollups.dims,
      cache.grids(),
      cache.officers().map((o) => ({ squad: o.kind, homeGrid: o.homeGridCode ?? '' })),
    );
    const t0 = performance.now();
    const briefing: Briefing = analyseWeek(rollups, {
      scope: scopeCode,
      week: week ?? undefined,
      dayWeights: header.dayWeights,
      levelTotals: levelTotalsOf(header),
      denominators: this.denominators,
      ...extra,
    });
    const report: BriefingReport = {
      ...briefing,
      asOfMs: rollups.asOfMs,
      computeMs: Math.round(performance.now() - t0),
    };
    if (this.reports.size > 16) this.reports.clear();
    this.reports.set(key, report);
    return report;
  }

  /** Cases per village of a scope in a week at the village centres (grid centroids averaged). */
  hotSpots(
    cache: BriefingCacheView,
    week: number,
    scope: string | null,
    majorCode?: string,
  ): BriefingHotSpot[] {
    const held = this.stored();
    if (!held) return [];
    const { rollups, header } = held.slice;
    const d = rollups.dims;
    const resolved = d.resolveScope(scope ?? header.scopeCode);
    if (!resolved) return [];
    const major = majorCode === undefined ? -1 : d.major(majorCode);
    const counts = new Float64Array(d.nVillages);
    rollups.catVillage.forEachInWeek(week, (cell, value) => {
      const v = cell % d.nVillages;
      if (resolved.inScope[v] !== 1) return;
      if (major >= 0 && d.minorMajor[(cell - v) / d.nVillages] !== major) return;
      counts[v] += value;
    });
    const centre = new Map<string, { lon: number; lat: number; n: number }>();
    for (const g of cache.grids()) {
      const c = centre.get(g.villageCode) ?? { lon: 0, lat: 0, n: 0 };
      c.lon += g.centroid[0];
      c.lat += g.centroid[1];
      c.n++;
      centre.set(g.villageCode, c);
    }
    const out: BriefingHotSpot[] = [];
    for (let v = 0; v < d.nVillages; v++) {
      if (counts[v] === 0) continue;
      const village = d.data.villages[v];
      const c = centre.get(village.code);
      if (!c || c.n === 0) continue;
      out.push({
        code: village.code,
        name: village.name,
        lon: c.lon / c.n,
        lat: c.lat / c.n,
        count: counts[v],
      });
    }
    return out;
  }
}

/** The cached cases behind a figure (the history's closed cases are only in the server's rollups). */
export function drillCases(
  all: readonly Case[],
  filter: DrillFilter,
  limit = DRILL_LIMIT_DEFAULT,
): BriefingDrillResult {
  const hits = all.filter((c) => countedAsOf(c, filter.asOfMs) && drillMatches(filter, c));
  hits.sort((a, b) => b.reportedAt - a.reportedAt);
  return { filter, cases: hits.slice(0, limit), total: hits.length };
}
