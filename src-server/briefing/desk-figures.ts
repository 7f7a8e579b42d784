// The case desk's figures (今日/本周 结案率, 按期结案率, 返工率, 按时派遣率, 准确派遣率) of a seat's scope,
// computed by the server over its records, because a console's cache holds only the open cases
// and what moved since its snapshot — the period's closures (history rows, the live days before
// the snapshot) are not there.
//
//   GET /api/desk/figures   → { ok, data: ScopeFigures }   (seats that read their scope)
//
// The records are the ones the briefing's rollups count, as the rollups see them: the history
// rows and catch-up segments through historyRowAsCase (the same facts ingestHistory files), the
// store's cases as the briefing service holds them (rollupCaseFromCase, kept current by every
// command). Each becomes an evaluation record (evaluationCaseOfRollup) and the one formula,
// countsForPeriod (src-shared/desk/figures.ts deskFigures), counts today and this week, and
// 准确派遣率 over the same records (a live case carries its returns) — so this
// week's figures are exactly the briefing's counts of the same week and scope
// (tests/integration/desk-figures.test.ts checks that).
//
// Only rows that can touch the periods are read: reported from (week start − the longest span a
// row of the table can have from report to its last event) on, inside the seat's scope. An answer
// is kept per scope for FRESH_MS (the desk asks every minute and after changes).
import { historyRowAsCase, gridVillages } from '../../src-shared/briefing/ingest';
import { evaluationCaseOfRollup, type BriefingRollups } from '../../src-shared/briefing/rollups';
import { rollupScopeOf } from '../../src-shared/briefing/slice';
import type { CasesTable } from '../../src-shared/dataset';
import { defaultCalendar } from '../../src-shared/domain/calendar';
import { limitToMs } from '../../src-shared/domain/deadline';
import type { EvaluationCase } from '../../src-shared/domain/evaluation';
import { deskFigures, deskPeriods, type ScopeFigures } from '../../src-shared/desk/figures';
import type { BriefingService } from './briefing-service';
import { lowerBound, type HistoryPart, type HistoryParts } from './history-parts';

const MINUTE_MS = 60_000;
const DAY_MIN = 1440;
/** How long an answer is reused for the same scope. */
export const FRESH_MS = 30_000;

interface PreparedPart {
  part: HistoryPart;
  /** The table with report times in real time (historyRowAsCase reads them as they are). */
  table: CasesTable;
  /** A row's last event is at most this many minutes after its report. */
  spanMin: number;
}

export class DeskFiguresService {
  private prepared: {
    parts: PreparedPart[];
    gridVillage: Int32Array;
    minors: HistoryParts['files']['catalog']['minors'];
  } | null = null;
  private answers = new Map<string, { at: number; figures: ScopeFigures }>();

  constructor(
    private readonly briefing: BriefingService,
    /** The history rows the store does not hold (history-parts.ts; shared with the drill-down). */
    private readonly history: () => HistoryParts,
    private readonly now: () => number,
  ) {}

  private prepare(): NonNullable<DeskFiguresService['prepared']> {
    if (this.prepared) return this.prepared;
    const { files, parts } = this.history();
    const calendar = defaultCalendar();
    // the longest deadline of the catalogue in natural minutes, generously (holidays, weekends)
    let limitMin = 0;
    for (const m of files.catalog.minors) {
      const ms = limitToMs(m.timeLimit, calendar);
      const natural =
        m.timeLimit.unit === 'hours'
          ? ms / MINUTE_MS
          : (ms / calendar.workingMsPerDay) * 1.5 * DAY_MIN + 14 * DAY_MIN;
      limitMin = Math.max(limitMin, natural);
    }
    const prepared = parts.map((part): PreparedPart => {
      const t = part.table;
      let delay = 0;
      let span = 0;
      for (let i = 0; i < t.rowCount; i++) {
        delay = Math.max(delay, t.dispatchDelay[i]);
        span = Math.max(span, t.dispatchDelay[i] + t.handlingDuration[i]);
      }
      const table =
        part.shiftMin === 0 ? t : { ...t, reportedAt: t.reportedAt.map((m) => m + part.shiftMin) };
      return { part, table, spanMin: Math.max(span, delay + limitMin) };
    });
    this.prepared = {
      parts: prepared,
      gridVillage: gridVillages(this.briefing.dims, files.grids.grids),
      minors: files.catalog.minors,
    };
    return this.prepared;
  }

  /** Today's and this week's figures of a seat's scope; null when the scope is none of ours. */
  figures(seatScope: string): ScopeFigures | null {
    const now = this.now();
    const held = this.answers.get(seatScope);
    if (held && now - held.at < FRESH_MS && now >= held.at) return held.figures;
    const rollups: BriefingRollups = this.briefing.rollups;
    const scope = rollupScopeOf(rollups, seatScope);
    if (scope === null) return null;
    const { inScope } = scope;
    const { parts, gridVillage, minors } = this.prepare();
    const from = deskPeriods(now).week[0];
    const records: EvaluationCase[] = [];
    const calendar = defaultCalendar();
    for (const { part, table, spanMin } of parts) {
      const first = lowerBound(table, Math.floor(from / MINUTE_MS) - spanMin);
      const end = lowerBound(table, part.endMin + part.shiftMin);
      const endMs = (part.endMin + part.shiftMin) * MINUTE_MS;
      for (let i = first; i < end; i++) {
        if (inScope[gridVillage[table.grid[i]]] !== 1 || part.live(i)) continue;
        const rec = historyRowAsCase(
          table,
          i,
          gridVillage,
          { minors },
          endMs,
          calendar,
          part.shiftMin * MINUTE_MS,
        );
        records.push(evaluationCaseOfRollup(rec));
      }
    }
    for (const rec of this.briefing.liveRecords()) {
      if (inScope[rec.village] === 1) records.push(evaluationCaseOfRollup(rec));
    }
    const figures: ScopeFigures = { scopeCode: scope.code, ...deskFigures(records, now) };
    this.answers.set(seatScope, { at: now, figures });
    return figures;
  }
}
