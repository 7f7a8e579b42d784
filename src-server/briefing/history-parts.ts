// The case rows the store does not hold: the dataset's history (moved by whole weeks to now, cut
// at the first start) and the catch-up segments of the hours the server was down, each without
// the rows that became live cases (open at their cut: those are in the store). Read once, on
// first need, by the briefing's drill-down (drill.ts) and the desk figures (desk-figures.ts).
import type { CasesTable } from '../../src-shared/dataset';
import { readCaseHistory, readReferenceFiles, type ReferenceFiles } from '../dataset/read-dataset';
import { catchUpSegments, readSegment } from '../dataset/catch-up-segments';
import { historyCutRow, isOpenAt } from '../dataset/import-dataset';
import type { Db } from '../store/database';

const MINUTE_MS = 60_000;

/** A table of history rows: the dataset's (shifted), or a catch-up segment's (real time). */
export interface HistoryPart {
  table: CasesTable;
  /** Add to the table's minutes for real time (the dataset's whole-week shift; 0 for segments). */
  shiftMin: number;
  idPrefix: string;
  /** Rows reported from this minute on (the table's own time) never happened. */
  endMin: number;
  /** Row i became a live case (it is in the store): skip it here. */
  live: (i: number) => boolean;
  /** Per row, its sequence in its (Shanghai report day, town): built on first need (drill.ts). */
  seq?: Int32Array;
}

export interface HistoryParts {
  files: ReferenceFiles;
  parts: HistoryPart[];
}

/**
 * The dataset's history and, when `dataDir` is given, the catch-up segments listed in the
 * store's meta (simulator/catch-up.ts).
 */
export function loadHistoryParts(datasetDir: string, db: Db, dataDir: string | null): HistoryParts {
  const files = readReferenceFiles(datasetDir);
  const table = readCaseHistory(datasetDir, files.manifest);
  const meta = (key: string): string | undefined =>
    (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  const shiftMin = Math.round(Number(meta('history_shift_ms') ?? 0) / MINUTE_MS);
  // the import cut the history at the first start: later rows never happened, rows open at the
  // cut are live cases (stores from before the cut existed: the history's end)
  const cutMs = meta('history_cut_ms');
  const cutMin =
    cutMs === undefined
      ? files.manifest.history.referenceMinute
      : Math.floor(Number(cutMs) / MINUTE_MS) - shiftMin;
  const parts: HistoryPart[] = [
    { table, shiftMin, idPrefix: 'H', endMin: cutMin, live: (i) => isOpenAt(table, i, cutMin) },
  ];
  if (dataDir !== null) {
    for (const seg of catchUpSegments(db)) {
      const t = readSegment(dataDir, seg);
      const cut = Math.floor(seg.toMs / MINUTE_MS);
      parts.push({
        table: t,
        shiftMin: 0,
        idPrefix: seg.idPrefix,
        endMin: cut,
        live: (i) => isOpenAt(t, i, cut),
      });
    }
  }
  return { files, parts };
}

/** First row reported at or after `minute` (rows are sorted by report time). */
export const lowerBound = historyCutRow;
