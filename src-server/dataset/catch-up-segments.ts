// Catch-up segments (simulator/catch-up.ts): the case rows of the hours the server was down,
// stored beside server.sqlite as `catch-up/<from>-<to>.bin` (the dataset's case-table format, in
// real time, not shifted) and listed in `meta` catch_up_segments. The briefing ingests them with
// the dataset's history; the rows open when the catch-up ended are live cases in the store.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCases, encodeCases, type CasesTable } from '../../src-shared/dataset/cases';
import type { Db } from '../store/database';

export interface CatchUpSegment {
  /** File name under <dataDir>/catch-up. */
  file: string;
  /** The gap it fills: [fromMs, toMs) real time; rows reported from `toMs` on never happened. */
  fromMs: number;
  toMs: number;
  rows: number;
  /** Rows open at toMs, stored as live cases (ids `${idPrefix}${row}`). */
  live: number;
  idPrefix: string;
}

const META_KEY = 'catch_up_segments';

export function catchUpSegments(db: Db): CatchUpSegment[] {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(META_KEY) as
    { value: string } | undefined;
  return row ? (JSON.parse(row.value) as CatchUpSegment[]) : [];
}

export function readSegment(dataDir: string, seg: CatchUpSegment): CasesTable {
  return decodeCases(new Uint8Array(readFileSync(join(dataDir, 'catch-up', seg.file))));
}

/** Writes the segment's file (atomically); `recordSegment` lists it in the same transaction as its live cases. */
export function writeSegmentFile(dataDir: string, file: string, table: CasesTable): void {
  const dir = join(dataDir, 'catch-up');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${file}.tmp`), encodeCases(table));
  renameSync(join(dir, `${file}.tmp`), join(dir, file));
}

export function recordSegment(db: Db, seg: CatchUpSegment): void {
  const list = [...catchUpSegments(db), seg];
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(META_KEY, JSON.stringify(list));
}
