// A seat's scope slice of the rollups, as the server sends it to a console (GET
// /api/briefing/rollups): the same dimensions and cubes with every cell of a village outside the
// scope left out, plus the two city-wide figures the analysis needs and a slice cannot derive:
// the city's cases per week (the level trend, briefing.ts) and the day weights (capacity.ts),
// both aggregates with no row of another area in them.
//
// What a scope keeps:
//   city     everything
//   town     its villages' cells; catSource (per town) only the town's own cells
//   village  its own cells; no catSource (sources are rolled up per town, so the town's
//            figure would show its neighbours' cases — the briefing has no sources at village scope)
//   grid     the grid's village (the rollups' finest area is the village)
//
// Wire layout: "GCBS", u32 version, a JSON header, then BriefingRollups.toBytes().

import { ByteReader, ByteWriter, RollupFormatError } from './bytes';
import type { DayWeights } from './capacity';
import type { ResolvedScope } from './dims';
import { BriefingRollups, NB, NF, NI } from './rollups';
import { HOURS_PER_WEEK } from './weeks';

export interface BriefingSliceHeader {
  /** The scope the slice was cut for (city, town or village code). */
  scopeCode: string;
  /** City-wide cases per week, [week, count] in week order. */
  cityWeekTotals: Array<[number, number]>;
  /** Day weights estimated from the city's rollups. */
  dayWeights: DayWeights;
}

export interface BriefingSlice {
  header: BriefingSliceHeader;
  rollups: BriefingRollups;
}

const SLICE_MAGIC = 'GCBS';
const SLICE_VERSION = 1;

/** The scope code the rollups know for a seat's scope: a grid seat gets its village. */
export function rollupScopeOf(rollups: BriefingRollups, seatScope: string): ResolvedScope | null {
  const d = rollups.dims;
  const direct = d.resolveScope(seatScope);
  if (direct !== null) return direct;
  // A base grid's code extends its village's (12 digits) with 3 more.
  return seatScope.length > 12 ? d.resolveScope(seatScope.slice(0, 12)) : null;
}

/** A copy of the rollups keeping only the cells of villages in the scope (the city: the rollups themselves). */
export function scopeSlice(rollups: BriefingRollups, scope: ResolvedScope): BriefingRollups {
  if (scope.level === 'city') return rollups;
  const d = rollups.dims;
  const out = new BriefingRollups(d, { asOfMs: rollups.asOfMs, coverageStartMs: rollups.coverageStartMs });
  const inScope = scope.inScope;
  const nV = d.nVillages;
  const nDs = d.nDeptSlots;
  const copy = (
    name: 'catVillage' | 'heat' | 'intake' | 'flow' | 'backlog',
    villageOf: (cell: number) => number,
  ) => {
    const src = rollups[name];
    const dst = out[name];
    const range = src.weekRange();
    if (range === null) return;
    for (let w = range.first; w <= range.last; w++) {
      src.forEachInWeek(w, (cell, value) => {
        if (inScope[villageOf(cell)] === 1) dst.add(w, cell, value);
      });
    }
  };
  copy('catVillage', (cell) => cell % nV);
  copy('heat', (cell) => Math.floor(cell / HOURS_PER_WEEK));
  copy('intake', (cell) => Math.floor(cell / NI));
  copy('flow', (cell) => Math.floor(cell / (nDs * NF)));
  copy('backlog', (cell) => Math.floor(cell / (nDs * NB)));
  if (scope.level === 'town') {
    const town = d.town(scope.code);
    const range = rollups.catSource.weekRange();
    if (range !== null) {
      for (let w = range.first; w <= range.last; w++) {
        rollups.catSource.forEachInWeek(w, (cell, value) => {
          if (cell % d.nTowns === town) out.catSource.add(w, cell, value);
        });
      }
    }
  }
  out.touch();
  return out;
}

/** City-wide cases per week of the rollups, for the slice header. */
export function cityWeekTotals(rollups: BriefingRollups): Array<[number, number]> {
  const range = rollups.catVillage.weekRange();
  const out: Array<[number, number]> = [];
  if (range === null) return out;
  for (let w = range.first; w <= range.last; w++) {
    const total = rollups.catVillage.weekTotal(w);
    if (total > 0) out.push([w, total]);
  }
  return out;
}

export function encodeBriefingSlice(slice: BriefingSlice): Uint8Array {
  const w = new ByteWriter();
  w.bytes(new TextEncoder().encode(SLICE_MAGIC));
  w.u32(SLICE_VERSION);
  w.text(JSON.stringify(slice.header));
  w.bytes(slice.rollups.toBytes());
  return w.finish();
}

export function decodeBriefingSlice(bytes: Uint8Array): BriefingSlice {
  const r = new ByteReader(bytes);
  const magic = new TextDecoder().decode(r.bytes(4));
  if (magic !== SLICE_MAGIC)
    throw new RollupFormatError(`not a briefing slice (magic ${JSON.stringify(magic)})`);
  const version = r.u32();
  if (version !== SLICE_VERSION) throw new RollupFormatError(`unsupported briefing slice version ${version}`);
  let header: BriefingSliceHeader;
  try {
    header = JSON.parse(r.text()) as BriefingSliceHeader;
  } catch {
    throw new RollupFormatError('bad briefing slice header');
  }
  if (typeof header.scopeCode !== 'string' || !Array.isArray(header.cityWeekTotals) || !header.dayWeights)
    throw new RollupFormatError('incomplete briefing slice header');
  const rollups = BriefingRollups.fromBytes(r.bytes(r.remaining));
  return { header, rollups };
}

/** The level-trend lookup of a slice (BriefingOptions.levelTotals). */
export function levelTotalsOf(header: BriefingSliceHeader): (week: number) => number {
  const m = new Map(header.cityWeekTotals);
  return (week) => m.get(week) ?? 0;
}
