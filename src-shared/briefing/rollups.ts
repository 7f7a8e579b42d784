// The briefing's rollups: additive counts maintained as cases arrive, so a briefing for any week
// reads a few hundred thousand counters instead of millions of case rows.
//
// Cubes (all per ISO week, Asia/Shanghai; "cases" = reported and not voided as of `asOfMs`):
//   catVillage  week × minor class × village          cases, by report week
//   heat        week × village × hour-of-week (168)   cases, by report week (Monday 00–01 h = 0)
//   catSource   week × minor class × source × town    cases, by report week
//   intake      week × village × {reported (voided included), registered, publicFirst,
//               selfHandled, verified, verifiedOnTime}
//   flow        week × village × department slot × {dispatched, dispatchedOnTime, closed,
//               closedOnTime, overdueOpen, reworked, dueForDispatch, backlog}
//               (the evaluation.ts counts; see below)
//   backlog     due-week × village × department slot × {overdue, overdueReworked}: cases still
//               open as of `asOfMs` whose deadline passed, filed under the week of the deadline
// Towns and the city are sums of villages; majors are sums of minor classes.
//
// The rate counts follow evaluation.ts (countsForPeriod) for the period [week start, week end)
// cut off at min(week end, asOf) — each case once, in the week its deadline falls in:
// dueForDispatch/dispatchedOnTime in the week of the dispatch deadline (report + limit);
// closed/closedOnTime/overdueOpen/reworked in the week of the handling deadline dueAt (closed =
// closed by that week's cut-off, overdueOpen = not). backlog (积案) of a week = cases open at its
// cut-off whose deadline fell in an earlier week: a case that ended (closed, voided) is filed
// into those weeks when it is added (it will not change any more); a case still open goes to
// the `backlog` cube under its deadline's week and is summed at query time over the earlier
// weeks. dispatched = first dispatches in the week (a volume, in no rate).
//
// Everything a record contributes is a function of (record, asOfMs), so a case that changes is
// updated by removeCase(old) + addCase(new), and moving asOf forward re-adds the open cases
// (advanceAsOf). Events after asOf are treated as not yet happened.

import { CASE_SOURCES, PRIORITIES, type CaseSource, type Priority } from '../domain/case-model';
import { dispatchDueAt } from '../domain/deadline';
import type { EvaluationCase, EvaluationCounts } from '../domain/evaluation';
import { emptyCounts, firstReporterKindOf, VERIFY_LIMIT_MS } from '../domain/evaluation';
import { ByteReader, ByteWriter, RollupFormatError } from './bytes';
import type { CubeStats } from './count-cube';
import { WeekCube } from './count-cube';
import type { BriefingDimsData } from './dims';
import { BriefingDims } from './dims';
import { HOURS_PER_WEEK, hourOfWeekSlot, weekEndMs, weekOfMs } from './weeks';

export const INTAKE_FIELDS = [
  'reported',
  'registered',
  'publicFirst',
  'selfHandled',
  'verified',
  'verifiedOnTime',
] as const;
export const FLOW_FIELDS = [
  'dispatched',
  'dispatchedOnTime',
  'closed',
  'closedOnTime',
  'overdueOpen',
  'reworked',
  'dueForDispatch',
  'backlog',
] as const;
export const BACKLOG_FIELDS = ['overdue', 'overdueReworked'] as const;
export const F_DISPATCHED = 0;
export const F_DISPATCHED_ON_TIME = 1;
export const F_CLOSED = 2;
export const F_CLOSED_ON_TIME = 3;
export const F_OVERDUE_OPEN = 4;
export const F_REWORKED = 5;
export const F_DUE_DISPATCH = 6;
export const F_BACKLOG = 7;
export const NF = FLOW_FIELDS.length;
export const NI = INTAKE_FIELDS.length;
export const NB = BACKLOG_FIELDS.length;

/** A case as the rollups see it: dimension indices and times (epoch ms). */
export interface RollupCase {
  reportedAt: number;
  /** Index into dims.minors. */
  category: number;
  /** Index into dims.villages. */
  village: number;
  /** Index into CASE_SOURCES. */
  source: number;
  /** Index into PRIORITIES. */
  priority: number;
  registeredAt: number | null;
  dispatchedAt: number | null;
  /** Handling deadline; null when none (self-handled, not dispatched, held by a suspension). */
  dueAt: number | null;
  closedAt: number | null;
  /** Recorded verdict at closing; else derived as closedAt ≤ dueAt (or no deadline). */
  closedOnTime?: boolean;
  voidedAt: number | null;
  reworkCount: number;
  /** Index into dims.departments of the handling department, or −1. */
  department: number;
  /** The public (citizen, hotline) reported it first; derived from `source` when absent. */
  publicFirst?: boolean;
  /** Handled on the spot (前置处理): registered, never dispatched or due. */
  selfHandled?: boolean;
  /** Approved returns 退单 (a live case's returnCount; the history records none). */
  returnCount?: number;
  /** Returned and not dispatched again yet (a live case in `returned`). */
  awaitingRedispatch?: boolean;
}

export interface RollupsMeta {
  /** The rollups are true as of this instant (the history's end, or "now" for a live console). */
  asOfMs: number;
  /** Earliest instant the ingested history covers; weeks before it are "outside the history". */
  coverageStartMs: number;
}

export interface RollupStats {
  cubes: Record<CubeName, CubeStats>;
  bytes: number;
}

export const CUBE_NAMES = ['catVillage', 'heat', 'catSource', 'intake', 'flow', 'backlog'] as const;
export type CubeName = (typeof CUBE_NAMES)[number];

const FORMAT_MAGIC = 'GCBR';
const FORMAT_VERSION = 2;
const PRIORITY_NAMES: readonly Priority[] = PRIORITIES;
const SOURCE_NAMES: readonly CaseSource[] = CASE_SOURCES;

/**
 * A rollup record as evaluation.ts reads a case, so countsForPeriod over these records counts a
 * period exactly as the cubes count a week (the desk's today/this-week figures, the server's
 * desk-figures.ts). No feedback time: on time is the record's verdict (a live case's is taken at
 * the handler's feedback, ingest.ts rollupCaseFromCase) or closedAt ≤ dueAt, as here.
 */
export function evaluationCaseOfRollup(r: RollupCase): EvaluationCase {
  return {
    reportedAt: r.reportedAt,
    priority: PRIORITY_NAMES[r.priority],
    source: SOURCE_NAMES[r.source],
    ...(r.publicFirst === undefined ? {} : { firstReporterKind: r.publicFirst ? 'public' : 'other' }),
    registeredAt: r.registeredAt,
    dispatchedAt: r.dispatchedAt,
    dueAt: r.dueAt,
    closedAt: r.closedAt,
    ...(r.closedOnTime === undefined ? {} : { closedOnTime: r.closedOnTime }),
    selfHandled: r.selfHandled === true,
    voidedAt: r.voidedAt,
    reworkCount: r.reworkCount,
    ...(r.returnCount ? { returnCount: r.returnCount } : {}),
    ...(r.awaitingRedispatch ? { awaitingRedispatch: true } : {}),
  };
}

export class BriefingRollups {
  readonly dims: BriefingDims;
  asOfMs: number;
  coverageStartMs: number;
  readonly catVillage: WeekCube;
  readonly heat: WeekCube;
  readonly catSource: WeekCube;
  readonly intake: WeekCube;
  readonly flow: WeekCube;
  readonly backlog: WeekCube;
  /** Bumped by every change, so derived caches (cumulative backlog) know when to rebuild. */
  private version = 0;
  private backlogCache: { version: number; first: number; sums: Float64Array[] } | null = null;

  constructor(dims: BriefingDims, meta: RollupsMeta) {
    if (!(meta.coverageStartMs <= meta.asOfMs)) throw new RangeError('coverage must start before asOf');
    this.dims = dims;
    this.asOfMs = meta.asOfMs;
    this.coverageStartMs = meta.coverageStartMs;
    const nV = dims.nVillages;
    this.catVillage = new WeekCube(dims.nMinors * nV);
    this.heat = new WeekCube(nV * HOURS_PER_WEEK);
    this.catSource = new WeekCube(dims.nMinors * dims.nSources * dims.nTowns);
    this.intake = new WeekCube(nV * NI);
    this.flow = new WeekCube(nV * dims.nDeptSlots * NF);
    this.backlog = new WeekCube(nV * dims.nDeptSlots * NB);
  }

  /** Changes with every write: derived caches compare it to know when to rebuild. */
  get revision(): number {
    return this.version;
  }

  /** Marks the rollups changed; callers that write the cubes directly (ingestHistory) call it. */
  touch(): void {
    this.version++;
  }

  addCase(rec: RollupCase): void {
    this.apply(rec, 1);
  }

  /**
   * Takes back exactly what addCase(rec) added under the same asOf. Removing a record that was
   * never added is a caller bug: it throws (RangeError) and the rollups are not to be trusted.
   */
  removeCase(rec: RollupCase): void {
    this.apply(rec, -1);
  }

  /**
   * Moves asOf forward. Only open cases' contributions depend on asOf (their backlog, and events
   * that happen between the two instants), so the caller passes the cases that were open or not
   * yet reported at the old asOf, in their state at the OLD asOf and at the NEW one.
   */
  advanceAsOf(newAsOfMs: number, before: Iterable<RollupCase>, after: Iterable<RollupCase>): void {
    if (!(newAsOfMs >= this.asOfMs)) throw new RangeError('asOf can only move forward');
    for (const r of before) this.apply(r, -1);
    this.asOfMs = newAsOfMs;
    for (const r of after) this.apply(r, 1);
  }

  private apply(r: RollupCase, sign: 1 | -1): void {
    const asOf = this.asOfMs;
    if (!(r.reportedAt < asOf)) return;
    const d = this.dims;
    const v = r.village;
    if (!(v >= 0 && v < d.nVillages) || !(r.category >= 0 && r.category < d.nMinors)) {
      throw new RangeError(`case outside the dimensions (village ${v}, class ${r.category})`);
    }
    if (
      !(r.source >= 0 && r.source < d.nSources) ||
      !(r.priority >= 0 && r.priority < PRIORITY_NAMES.length)
    ) {
      throw new RangeError(`bad source ${r.source} or priority ${r.priority}`);
    }
    this.version++;
    const wR = weekOfMs(r.reportedAt);
    this.intake.add(wR, v * NI, sign);
    const happened = (t: number | null): t is number => t !== null && t < asOf;
    const self = r.selfHandled === true;
    if (happened(r.registeredAt)) {
      const wReg = weekOfMs(r.registeredAt);
      this.intake.add(wReg, v * NI + 1, sign);
      const publicFirst = r.publicFirst ?? firstReporterKindOf(SOURCE_NAMES[r.source]) === 'public';
      if (publicFirst) this.intake.add(wReg, v * NI + 2, sign);
      if (self) this.intake.add(wReg, v * NI + 3, sign);
      else {
        this.intake.add(wReg, v * NI + 4, sign);
        if (r.registeredAt - r.reportedAt <= VERIFY_LIMIT_MS[PRIORITY_NAMES[r.priority]])
          this.intake.add(wReg, v * NI + 5, sign);
      }
    }
    if (!happened(r.voidedAt)) {
      this.catVillage.add(wR, r.category * d.nVillages + v, sign);
      this.heat.add(wR, v * HOURS_PER_WEEK + hourOfWeekSlot(r.reportedAt), sign);
      this.catSource.add(wR, (r.category * d.nSources + r.source) * d.nTowns + d.villageTown[v], sign);
    }
    const slot = r.department >= 0 && r.department < d.nDepartments ? r.department : d.noDeptSlot;
    const base = (v * d.nDeptSlots + slot) * NF;
    if (happened(r.dispatchedAt)) this.flow.add(weekOfMs(r.dispatchedAt), base + F_DISPATCHED, sign);
    if (self) return;
    // the cut-off of the week an instant falls in, and "voided before it"
    const cutOf = (w: number): number => Math.min(weekEndMs(w), asOf);
    const voidedBy = (cut: number): boolean => r.voidedAt !== null && r.voidedAt < cut;

    const dispatchDue = dispatchDueAt(r.reportedAt, PRIORITY_NAMES[r.priority]);
    const wDD = weekOfMs(dispatchDue);
    const cutD = cutOf(wDD);
    const dispatchedBy = r.dispatchedAt !== null && r.dispatchedAt < cutD ? r.dispatchedAt : null;
    if (!voidedBy(cutD) && (dispatchDue < cutD || dispatchedBy !== null)) {
      this.flow.add(wDD, base + F_DUE_DISPATCH, sign);
      if (dispatchedBy !== null && dispatchedBy <= dispatchDue)
        this.flow.add(wDD, base + F_DISPATCHED_ON_TIME, sign);
    }

    if (r.dueAt === null) return;
    const wDue = weekOfMs(r.dueAt);
    const cut = cutOf(wDue);
    const reworked = r.reworkCount > 0;
    const closedBy = r.closedAt !== null && r.closedAt < cut ? r.closedAt : null;
    if (!voidedBy(cut) && (r.dueAt < cut || closedBy !== null)) {
      if (reworked) this.flow.add(wDue, base + F_REWORKED, sign);
      if (closedBy !== null) {
        this.flow.add(wDue, base + F_CLOSED, sign);
        if (r.closedOnTime ?? closedBy <= r.dueAt) this.flow.add(wDue, base + F_CLOSED_ON_TIME, sign);
      } else this.flow.add(wDue, base + F_OVERDUE_OPEN, sign);
    }
    // backlog in the later weeks: until it ended (closed or voided), or still open as of asOf
    const closedAt = happened(r.closedAt) ? r.closedAt : null;
    const end = closedAt ?? (happened(r.voidedAt) ? r.voidedAt : null);
    if (end !== null) {
      fileBacklogWeeks(this.flow, r.dueAt, end, base, sign);
    } else if (r.dueAt < asOf) {
      const b = (v * d.nDeptSlots + slot) * NB;
      this.backlog.add(wDue, b, sign);
      if (reworked) this.backlog.add(wDue, b + 1, sign);
    }
  }

  /**
   * Backlog still open as of asOf that counts against `week`: Σ backlog over due weeks ≤ week,
   * per (village, department slot, field). Null for weeks after asOf's week.
   */
  backlogThrough(week: number): Float64Array | null {
    if (week > weekOfMs(this.asOfMs - 1)) return null;
    const cells = this.backlog.cells;
    let cache = this.backlogCache;
    const range = this.backlog.weekRange();
    if (range === null) return new Float64Array(cells);
    if (cache === null || cache.version !== this.version) {
      const sums: Float64Array[] = [];
      const acc = new Float64Array(cells);
      for (let w = range.first; w <= range.last; w++) {
        this.backlog.forEachInWeek(w, (cell, value) => (acc[cell] += value));
        sums.push(acc.slice());
      }
      cache = { version: this.version, first: range.first, sums };
      this.backlogCache = cache;
    }
    if (week < cache.first) return new Float64Array(cells);
    return cache.sums[Math.min(week - cache.first, cache.sums.length - 1)];
  }

  /**
   * Evaluation counts (evaluation.ts) of one week for the (village, department slot) pairs
   * `include` accepts, grouped by `groupOf` (−1 drops). Reported/registered/publicFirst are
   * per village, so they go to the group of the pair (village, noDeptSlot) only — a department
   * does not report cases.
   */
  evaluationCounts(
    week: number,
    groups: number,
    groupOf: (village: number, deptSlot: number) => number,
  ): EvaluationCounts[] {
    const d = this.dims;
    const out = Array.from({ length: groups }, () => emptyCounts());
    const nDs = d.nDeptSlots;
    this.flow.forEachInWeek(week, (cell, value) => {
      const field = cell % NF;
      const pair = (cell - field) / NF;
      const slot = pair % nDs;
      const g = groupOf((pair - slot) / nDs, slot);
      if (g < 0) return;
      const c = out[g];
      switch (field) {
        case F_DISPATCHED:
          c.dispatched += value;
          break;
        case F_DISPATCHED_ON_TIME:
          c.dispatchedOnTime += value;
          break;
        case F_CLOSED:
          c.closed += value;
          break;
        case F_CLOSED_ON_TIME:
          c.closedOnTime += value;
          break;
        case F_OVERDUE_OPEN:
          c.overdueOpen += value;
          break;
        case F_REWORKED:
          c.reworked += value;
          break;
        case F_DUE_DISPATCH:
          c.dueForDispatch += value;
          break;
        default:
          c.backlog += value;
      }
    });
    // still-open backlog: due in a week before this one (null: this week is after asOf's)
    const backlog = this.backlogThrough(week - 1);
    if (backlog !== null && week <= weekOfMs(this.asOfMs - 1)) {
      for (let cell = 0; cell < backlog.length; cell += NB) {
        if (backlog[cell] === 0) continue;
        const pair = cell / NB;
        const slot = pair % nDs;
        const g = groupOf((pair - slot) / nDs, slot);
        if (g < 0) continue;
        out[g].backlog += backlog[cell];
      }
    }
    const intakeKeys = [
      'reported',
      'registered',
      'publicFirst',
      'selfHandled',
      'verified',
      'verifiedOnTime',
    ] as const;
    this.intake.forEachInWeek(week, (cell, value) => {
      const field = cell % NI;
      const g = groupOf((cell - field) / NI, d.noDeptSlot);
      if (g < 0) return;
      out[g][intakeKeys[field]] += value;
    });
    for (const c of out) c.dueForClosure = c.closed + c.overdueOpen;
    return out;
  }

  /** Adds another rollup of the same dimensions and asOf (e.g. built from another slice of rows). */
  merge(other: BriefingRollups): void {
    if (other.dims.key() !== this.dims.key())
      throw new RangeError('cannot merge rollups of different dimensions');
    if (other.asOfMs !== this.asOfMs) {
      throw new RangeError(
        `cannot merge rollups as of different instants (${other.asOfMs} ≠ ${this.asOfMs})`,
      );
    }
    for (const name of CUBE_NAMES) this[name].merge(other[name]);
    this.coverageStartMs = Math.min(this.coverageStartMs, other.coverageStartMs);
    this.version++;
  }

  stats(): RollupStats {
    const cubes = {} as Record<CubeName, CubeStats>;
    let bytes = 0;
    for (const name of CUBE_NAMES) {
      cubes[name] = this[name].stats();
      bytes += cubes[name].bytes;
    }
    return { cubes, bytes };
  }

  /**
   * Layout: "GCBR", u32 version, a JSON header (dims, asOf, coverage start), then the six cubes
   * in CUBE_NAMES order (WeekCube.write: each week sparse or dense, whichever is smaller).
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter();
    w.bytes(new TextEncoder().encode(FORMAT_MAGIC));
    w.u32(FORMAT_VERSION);
    w.text(
      JSON.stringify({ dims: this.dims.data, asOfMs: this.asOfMs, coverageStartMs: this.coverageStartMs }),
    );
    for (const name of CUBE_NAMES) this[name].write(w);
    return w.finish();
  }

  static fromBytes(bytes: Uint8Array): BriefingRollups {
    const r = new ByteReader(bytes);
    const magic = new TextDecoder().decode(r.bytes(4));
    if (magic !== FORMAT_MAGIC)
      throw new RollupFormatError(`not a rollup file (magic ${JSON.stringify(magic)})`);
    const version = r.u32();
    if (version !== FORMAT_VERSION) throw new RollupFormatError(`unsupported rollup version ${version}`);
    let header: { dims: BriefingDimsData; asOfMs: number; coverageStartMs: number };
    try {
      header = JSON.parse(r.text()) as typeof header;
    } catch {
      throw new RollupFormatError('bad rollup header');
    }
    const out = new BriefingRollups(new BriefingDims(header.dims), {
      asOfMs: header.asOfMs,
      coverageStartMs: header.coverageStartMs,
    });
    const cubes = {} as Record<CubeName, WeekCube>;
    for (const name of CUBE_NAMES) cubes[name] = WeekCube.read(r, out[name].cells);
    for (const name of CUBE_NAMES) out[name].merge(cubes[name]);
    if (r.remaining !== 0) throw new RollupFormatError(`${r.remaining} bytes after the last cube`);
    return out;
  }
}

/**
 * Files a case that ended (closed or voided) at `end` as backlog 积案 of every week after its
 * deadline's week whose cut-off (the week's end) found it still open: weeks whose end is ≤ end.
 */
export function fileBacklogWeeks(
  flow: WeekCube,
  dueAt: number,
  end: number,
  base: number,
  sign: number,
): void {
  for (let w = weekOfMs(dueAt) + 1; weekEndMs(w) <= end; w++) flow.add(w, base + F_BACKLOG, sign);
}
