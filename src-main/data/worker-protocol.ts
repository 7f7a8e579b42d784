// Messages between the main event loop and the data worker. Every SQLite call happens in the
// worker; main only forwards calls and events, so a long apply never stalls a window.
import type { SyncChange } from './sync-engine';

/** The DataService methods the worker exposes, by name. */
export const WORKER_METHODS = [
  'login',
  'resume',
  'queue',
  'cases',
  'caseDetail',
  'conflicts',
  'acknowledgeConflict',
  'connection',
  'seatInfo',
  'referenceJson',
  'overviewCounts',
  'positions',
  'mapSnapshot',
  'mapCases',
  'tracks',
  'places',
  // ---- case desk (issue 6) ----
  'deskQueue',
  'deskRows',
  'deskRecommend',
  'deskFigures',
  'casePhoto',
  // ---- weekly briefing (issue 8) ----
  'briefingStatus',
  'briefingAnalyse',
  'briefingDrill',
  'briefingHotSpots',
  'briefingExport',
  // ---- inspections (issue 9) ----
  'inspectionsCoverage',
  'inspectionsOrders',
  'inspectionsRegrades',
  'inspectionsDecide',
  'inspectionsPlaceFlags',
  // ---- video wall and windows (issue 7) ----
  'videoFetch',
  'videoSnapshot',
  // ---- shift (issue 18) ----
  'undo',
  'shiftSummary',
  'logout',
  'shiftLog',
  'alerts',
  'ackAlert',
] as const;
export type WorkerMethod = (typeof WORKER_METHODS)[number];

export type ToWorker =
  { kind: 'call'; id: number; method: WorkerMethod; args: unknown[] } | { kind: 'close'; id: number };

export type FromWorker =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: { code: string; message: string } }
  | { kind: 'change'; change: SyncChange }
  | { kind: 'log'; line: string };

export interface WorkerConfig {
  dataDir: string;
  serverUrl: string;
  /** base64 AES-256 key that seals the session token at rest (see secret-box.ts). */
  sessionKey: string;
  secretKind: string;
  /** A PEM file of CA certificates to trust for an https server (the workstation settings). */
  caFile?: string;
}
