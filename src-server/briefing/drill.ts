// The cases behind a briefing figure, answered by the server. A console's
// cache holds the open and recent cases of its scope; the history's closed cases exist only in
// the dataset and the rollups, so the briefing's "every figure opens its cases" needs the
// server: it reads the dataset's case table once (on the first drill), finds the week's rows by
// binary search (the table is sorted by report time) and adds the store's cases.
//
//   POST /api/briefing/drill   { filter: DrillFilter, limit?: 1..500 }  → { cases, total }
//
// Counting: the rule of the figures (countedAsOf): reported before the filter's asOfMs, not voided
// before it, so a figure opens exactly the cases it counts.
//
// Scope: the filter's scope and area must lie inside the seat's jurisdiction (isWithin), or the
// answer is 403 OUT_OF_SCOPE; every case returned lies inside the area asked for.
import { z } from 'zod';
import { CASE_SOURCES, PRIORITIES } from '../../src-shared/domain/case-model';
import { countedAsOf, drillMatches, type DrillFilter } from '../../src-shared/briefing/briefing';
import type { Case } from '../../src-shared/protocol/entities';
import type { Db } from '../store/database';
import { cityPrefix, numberDay } from '../../src-shared/domain/case-number';
import { loadHistoryParts, lowerBound, type HistoryPart, type HistoryParts } from './history-parts';

const MINUTE_MS = 60_000;
export const DRILL_MAX_LIMIT = 500;

const Code = z.string().regex(/^(\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$/);
export const DrillRequest = z.strictObject({
  filter: z.strictObject({
    scopeCode: Code,
    areaCode: Code.optional(),
    majorCode: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    categoryCode: z
      .string()
      .regex(/^\d{5}$/)
      .optional(),
    weekday: z.number().int().min(0).max(6).optional(),
    hour: z.number().int().min(0).max(23).optional(),
    fromMs: z.number().int().nonnegative(),
    toMs: z.number().int().nonnegative(),
    asOfMs: z.number().int().nonnegative().optional(),
  }),
  limit: z.number().int().positive().max(DRILL_MAX_LIMIT).optional(),
});

export interface DrillAnswer {
  cases: Case[];
  total: number;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export class BriefingDrill {
  private history: HistoryParts | null = null;

  constructor(
    private readonly datasetDir: string,
    private readonly db: Db,
    /** Where the catch-up segments are (server data dir); none when absent. */
    private readonly dataDir: string | null = null,
  ) {}

  /** The history rows the store does not hold, read on first need (desk-figures.ts reads them too). */
  historyParts(): HistoryParts {
    this.history ??= loadHistoryParts(this.datasetDir, this.db, this.dataDir);
    return this.history;
  }

  /** The matching cases newest first (≤ limit) and how many match. `f` must be scope-checked. */
  drill(f: DrillFilter, limit: number): DrillAnswer {
    const { files, parts } = this.historyParts();
    const grids = files.grids.grids;
    const minors = files.catalog.minors;
    const found: Case[] = [];
    let total = 0;
    // History rows of the period, except those that became live cases (they are in the store):
    // newest first, every match counted, only the first `limit` built as cases.
    for (const part of parts) {
      const { table, shiftMin } = part;
      const from = lowerBound(table, Math.floor(f.fromMs / MINUTE_MS) - shiftMin);
      const to = lowerBound(table, Math.min(Math.ceil(f.toMs / MINUTE_MS) - shiftMin, part.endMin));
      for (let i = to - 1; i >= from; i--) {
        if (part.live(i)) continue;
        const grid = grids[table.grid[i]];
        const minor = minors[table.category[i]];
        const reportedAt = (table.reportedAt[i] + shiftMin) * MINUTE_MS;
        // a voided history row was voided at its report (ingest.ts historyRowAsCase)
        const voidedAt = table.outcome[i] === 1 ? reportedAt : null;
        if (!countedAsOf({ reportedAt, voidedAt }, f.asOfMs)) continue;
        if (!drillMatches(f, { reportedAt, gridCode: grid.code, categoryCode: minor.code })) continue;
        total++;
        if (found.length < limit) found.push(this.historyCase(part, i, reportedAt));
      }
    }
    // The store's cases of the period (SQLite reads the report time out of the JSON).
    const rows = this.db
      .prepare(
        `SELECT json FROM cases WHERE json_extract(json, '$.reportedAt') >= ? AND json_extract(json, '$.reportedAt') < ?`,
      )
      .all(f.fromMs, f.toMs) as { json: string }[];
    for (const r of rows) {
      const c = JSON.parse(r.json) as Case;
      if (!countedAsOf(c, f.asOfMs) || !drillMatches(f, c)) continue;
      total++;
      found.push(c);
    }
    found.sort((a, b) => b.reportedAt - a.reportedAt || (a.id < b.id ? -1 : 1));
    return { cases: found.slice(0, limit), total };
  }

  /**
   * The record number of a history row, read like a case number but in its own series (H before
   * the sequence: DG20260312-106-H0042 = the 42nd report of town 106 that day in the record), so
   * it never collides with the numbers the server allocates to live cases.
   */
  private historyNumber(part: HistoryPart, i: number, reportedAt: number, townCode: string): string {
    if (!part.seq) {
      const { files } = this.historyParts();
      const grids = files.grids.grids;
      const { table, shiftMin } = part;
      const seq = new Int32Array(table.rowCount);
      const next = new Map<number, number>();
      let day = -1;
      for (let r = 0; r < table.rowCount; r++) {
        const d = Math.floor(((table.reportedAt[r] + shiftMin) * MINUTE_MS + SHANGHAI_OFFSET_MS) / DAY_MS);
        if (d !== day) {
          next.clear(); // rows are sorted by report time: a new day starts every town at 1
          day = d;
        }
        const town = Number(grids[table.grid[r]].townCode);
        const n = (next.get(town) ?? 0) + 1;
        next.set(town, n);
        seq[r] = n;
      }
      part.seq = seq;
    }
    const city = this.historyParts().files.divisions.city.code;
    return `${cityPrefix(city)}${numberDay(reportedAt)}-${townCode.slice(-3)}-H${String(part.seq[i]).padStart(4, '0')}`;
  }

  /** A closed or voided history row as a protocol case (id <prefix><row>, as the import names rows). */
  private historyCase(part: HistoryPart, i: number, reportedAt: number): Case {
    const { files } = this.historyParts();
    const { table } = part;
    const grid = files.grids.grids[table.grid[i]];
    const minor = files.catalog.minors[table.category[i]];
    const voided = table.outcome[i] === 1;
    const self = table.selfHandled[i] === 1;
    const dispatchedAt = voided || self ? null : reportedAt + table.dispatchDelay[i] * MINUTE_MS;
    const closedAt = voided
      ? null
      : self
        ? reportedAt + table.handlingDuration[i] * MINUTE_MS
        : dispatchedAt! + table.handlingDuration[i] * MINUTE_MS;
    return {
      id: `${part.idPrefix}${i}`,
      number: this.historyNumber(part, i, reportedAt, grid.townCode),
      state: voided ? 'voided' : 'closed',
      categoryCode: minor.code,
      priority: PRIORITIES[table.priority[i]],
      source: CASE_SOURCES[table.source[i]],
      description: `${minor.nameZh}（历史事件）`,
      address: '',
      lon: table.lon[i] / 1e6,
      lat: table.lat[i] / 1e6,
      gridCode: grid.code,
      villageCode: grid.villageCode,
      townCode: grid.townCode,
      holderCode: grid.villageCode,
      reporterId: 'U-system',
      assignee: null,
      assignedBy: null,
      assignedAt: null,
      handlerId: null,
      selfHandled: self,
      supervised: false,
      reworkCount: table.rework[i],
      photos: [],
      afterPhotos: [],
      suspensions: [],
      stateBeforeSuspend: null,
      reportedAt,
      registeredAt: voided ? null : reportedAt,
      dispatchedAt,
      dueAt: null,
      feedbackAt: closedAt,
      closedAt,
      voidedAt: voided ? reportedAt : null,
      version: 1,
    };
  }
}
