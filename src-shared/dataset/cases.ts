// One year of case history as a columnar table: one row per reported case, sorted by
// `reportedAt` (then by the generator's draw order). The row index is the case's id within the
// dataset ("H" + index). Durations are in whole minutes.
//
// Life cycle of a row, in time order:
// - voided: reportedAt → voided; dispatchDelay = handlingDuration = closed = onTime = 0.
// - self-handled (selfHandled = 1): fixed on the spot and reported closed at reportedAt;
//   handlingDuration = minutes spent on site, dispatchDelay = 0, closed = onTime = 1.
// - dispatched: dispatched at reportedAt + dispatchDelay, then closed at
//   reportedAt + dispatchDelay + handlingDuration when closed = 1; when still open at the
//   dataset's reference time (manifest.history.referenceMinute), handlingDuration = minutes from
//   dispatch to the reference time (and a case whose dispatch would fall after the reference time
//   has dispatchDelay = minutes to the reference time, handlingDuration = 0).

import type { TableOf } from './binary-table';
import { allocTable, decodeTyped, encodeTyped } from './binary-table';

export const CASES_TABLE_NAME = 'cases';

/**
 * A row closed late overruns its deadline by at most this many minutes (the generator's rule,
 * scripts/demo-data/history.ts): a dispatched row still open longer past its deadline had its
 * clock paused by an approved suspension (缓办), and is imported suspended.
 */
export const LATE_OVERRUN_MAX_MIN = 2 * 1440;

export const CASE_OUTCOMES = ['registered', 'voided'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export const CASE_COLUMNS = [
  {
    name: 'reportedAt',
    type: 'u32',
    encoding: 'delta',
    doc: 'report time, minutes since 1970-01-01T00:00Z (rows are sorted by it; delta-encoded)',
  },
  { name: 'category', type: 'u16', doc: 'index into categories.json `minors` (the 5-digit MMmmm class)' },
  { name: 'grid', type: 'u16', doc: 'index into grids.json `grids` (the grid that contains lon/lat)' },
  { name: 'lon', type: 'i32', doc: 'longitude in micro-degrees (1e-6°)' },
  { name: 'lat', type: 'i32', doc: 'latitude in micro-degrees (1e-6°)' },
  { name: 'source', type: 'u8', doc: 'index into CASE_SOURCES (case-model.ts)' },
  { name: 'priority', type: 'u8', doc: 'index into PRIORITIES (case-model.ts)' },
  { name: 'outcome', type: 'u8', doc: 'index into CASE_OUTCOMES: 0 registered 立案, 1 voided 作废' },
  {
    name: 'dispatchDelay',
    type: 'u16',
    doc: 'minutes from report to dispatch (verify + register + dispatch); 0 for self-handled and voided cases',
  },
  {
    name: 'handlingDuration',
    type: 'u32',
    doc: 'minutes from dispatch to closure (closed), to the reference time (open), on site (self-handled); 0 when voided',
  },
  { name: 'closed', type: 'u8', doc: '1 when closed 结案 by the reference time' },
  {
    name: 'onTime',
    type: 'u8',
    doc: '1 when closed within the category time limit (approximate working calendar, see manifest.notes)',
  },
  { name: 'rework', type: 'u8', doc: 'number of times the closure check sent it back 返工' },
  { name: 'selfHandled', type: 'u8', doc: '1 when fixed on the spot by the reporting officer 自处置' },
  {
    name: 'reporter',
    type: 'i32',
    doc: 'index into officers.json `officers` of the reporting officer, or -1',
  },
  {
    name: 'department',
    type: 'u8',
    doc: 'index into departments.json `departments` of the handling department; 255 when self-handled or voided',
  },
] as const;

export type CasesTable = TableOf<typeof CASE_COLUMNS>;

export function allocCases(rowCount: number): CasesTable {
  return allocTable(CASE_COLUMNS, rowCount);
}

export function encodeCases(table: CasesTable): Uint8Array {
  return encodeTyped(CASES_TABLE_NAME, CASE_COLUMNS, table);
}

export function decodeCases(bytes: Uint8Array | ArrayBuffer): CasesTable {
  return decodeTyped(CASES_TABLE_NAME, CASE_COLUMNS, bytes);
}

export const NO_DEPARTMENT = 255;
