// What the console's worker hands the renderer for the weekly briefing (the IPC results of the
// `briefing.*` calls). Plain data: it crosses the worker, main and the web host's WebSocket.

import type { SupervisionTownLine } from '../desk/supervision-list';
import type { AccurateDispatch } from '../domain/work-rules';
import type { Case } from '../protocol/entities';
import type { Briefing, DrillFilter } from './briefing';

export interface BriefingWeekOption {
  week: number;
  /** ISO week label, e.g. 2026-W47. */
  label: string;
  fromMs: number;
  /** Share of the week the rollups cover (1 = complete). */
  covered: number;
}

export interface BriefingStatus {
  /** False when there is no copy of the rollups (never downloaded and the server cannot be asked). */
  available: boolean;
  reason: string | null;
  /** The scope the rollups were cut for (a grid seat: its village). */
  scopeCode: string | null;
  scopeName: string | null;
  level: 'city' | 'town' | 'village' | null;
  /** Areas one level down the seat may narrow the briefing to. */
  areas: Array<{ code: string; name: string; level: 'town' | 'village' }>;
  /** Newest first. */
  weeks: BriefingWeekOption[];
  /** The last complete week (the default). */
  defaultWeek: number | null;
  asOfMs: number | null;
  /** When the server last sent or confirmed this copy. */
  checkedAt: number | null;
  /** Confirmed by the server during this session (else the stored copy, e.g. offline). */
  fresh: boolean;
  /** Size of the downloaded slice (gzip bytes). */
  bytes: number;
}

export interface BriefingReport extends Briefing {
  /** asOf of the rollups the report was computed from. */
  asOfMs: number;
  /** Milliseconds the analysis took in the worker. */
  computeMs: number;
  /** 准确派遣率 of the week's first dispatches by town, from the cases this console holds. */
  accurateDispatch?: {
    towns: Array<AccurateDispatch & { townCode: string; name: string }>;
    total: AccurateDispatch;
  };
  /** 督办 of the week by town, from the orders on the cases this console holds (supervision-list.ts). */
  supervision?: {
    towns: Array<SupervisionTownLine & { name: string }>;
    total: SupervisionTownLine;
  };
}

export interface BriefingDrillResult {
  filter: DrillFilter;
  /** Matching cases, newest first, ≤ limit. */
  cases: Case[];
  /** Matching cases (before the limit). */
  total: number;
  /**
   * 'server': asked the dispatch server (history included); 'cache': the server could
   * not be asked, so only the cases this console holds (open and recent ones).
   */
  source?: 'server' | 'cache';
}

export type BriefingExportKind = 'csv' | 'xlsx';

export interface BriefingExportFile {
  fileName: string;
  mime: string;
  /** The file's bytes, base64 (the web host carries JSON). */
  base64: string;
  bytes: number;
}

/** Cases per village of the scope in one week, at the village's centre: the hot-spot layer's input. */
export interface BriefingHotSpot {
  code: string;
  name: string;
  lon: number;
  lat: number;
  count: number;
}
