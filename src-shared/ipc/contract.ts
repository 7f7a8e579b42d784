// The one typed contract between renderer windows and the main side (STYLE.md §1). The same
// contract is implemented by the Electron preload (contextBridge + ipcRenderer) and by the web
// host (a WebSocket on 127.0.0.1), so the renderer never knows which one it runs on.
// Adding a call = one entry in CALLS (schemas) + one method in a feature's handler object in
// src-main/data/<feature>/handlers.ts (or, for the few MAIN_CALLS, in ConsoleService): the call
// router forwards every other call to the data worker by its contract name, and the type of each
// handler is derived from this table (docs/architecture.md, "One call pipeline").
import { z } from 'zod';
import {
  InspectionScope,
  MonthText,
  OrdersFilter,
  REGRADE_STATUSES,
  type CoverageAnswer,
  type Fetched,
  type OrdersAnswer,
  type PlaceFlagsAnswer,
  type RegradeRow,
  type RegradesAnswer,
} from '../inspections/model';
import type { CommandAnswer, CommandType } from '../protocol/commands';
import { COMMAND_TYPES } from '../protocol/commands';
import type {
  Camera,
  Case,
  CaseEvent,
  Category,
  Department,
  Division,
  Grid,
  Officer,
  OfficerFix,
} from '../protocol/entities';
import type { MapCaseChanges, MapPlaces, MapSnapshot, OfficerTrack, PositionBatch } from './map-data';
import type { DeskQueue, DeskRowChanges } from '../desk/queue-data';
import type { RankedOfficer } from '../desk/recommend';
import type { DeskFiguresView } from '../desk/figures';

import type { DrillFilter } from '../briefing/briefing';
import type { SupervisionItem } from '../desk/supervision-list';
import type {
  BriefingDrillResult,
  BriefingExportFile,
  BriefingHotSpot,
  BriefingReport,
  BriefingStatus,
} from '../briefing/view';
import type { SettingsView } from './settings-view';

export const UI_LOCALES = ['zh-CN', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Which host the renderer runs in: the Electron shell or the web host in a browser. */
  host: z.enum(['electron', 'web']),
  platform: z.string(),
  protocolVersion: z.number().int(),
  timeZone: z.literal('Asia/Shanghai'),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const ConnectionState = z.object({
  status: z.enum(['online', 'offline', 'syncing']),
  queueLength: z.number().int().nonnegative(),
  lastSyncAt: z.number().int().nullable(),
  /** Why the server refused this console (an expired session: log in again), else null. */
  refused: z.string().nullable().optional(),
  /** Since when the link is down (epoch ms); null/absent while online. */
  downSince: z.number().int().nullable().optional(),
});
export type ConnectionState = z.infer<typeof ConnectionState>;

// ---- views the main side hands to windows (results are produced by main: typed, not re-parsed) ----
export interface SeatView {
  serverUrl: string;
  seatId: string;
  userName: string;
  displayName: string;
  role: string;
  scopeCode: string;
}

export interface CaseRowView {
  case: Case;
  /** This console's actions on the case the server has not answered yet, oldest first. */
  pending: { commandId: string; type: CommandType }[];
}

export interface ActionView {
  commandId: string;
  type: CommandType;
  caseId: string;
  status: 'pending' | 'confirmed' | 'rejected';
  attempts: number;
  lastError: string | null;
  createdAt: number;
  settledAt: number | null;
  answer: CommandAnswer | null;
  /** Held in the outbox until then (the undo window); null/absent = sent at once. */
  holdUntil?: number | null;
}

// ---- shift: logout, handover, who held the seat when ----
/** The open items a seat hands over: desk tab counts and this console's unsent/refused work. */
export interface ShiftOpenItems {
  pending: number;
  conflicts: number;
  verify: number;
  dispatch: number;
  overdue: number;
  check: number;
  suspended: number;
}

/** The shift in progress on this workstation (for the handover dialog). */
export interface ShiftSummary {
  seat: SeatView;
  /** When this seat was opened here (login or resume), epoch ms. */
  from: number;
  openItems: ShiftOpenItems;
}

/** One entry of the workstation's record of who held which seat when, with the handover note. */
export interface HandoverRecord {
  seatId: string;
  userName: string;
  displayName: string;
  from: number;
  to: number;
  note: string;
  openItems: ShiftOpenItems;
}

/** One alert of the feed (the server's `Alert`, src-server/alerts/alert-service.ts). */
export interface AlertView {
  id: string;
  kind: 'emergency' | 'sos' | 'due_soon' | 'lapsed';
  caseId: string | null;
  officerId: string | null;
  subject: string;
  detail: string;
  gridCode: string;
  villageCode: string;
  townCode: string;
  lon: number;
  lat: number;
  raisedAt: number;
  level: 'village' | 'town' | 'city';
  escalatedAt: number | null;
  ackBy: string | null;
  ackByName: string | null;
  ackAt: number | null;
}

export interface AlertFeed {
  alerts: AlertView[];
  /** When the server last answered; null = never this session. */
  fetchedAt: number | null;
  /** True when the server could not be asked: the list is the last copy. */
  stale: boolean;
  escalateAfterMs: number | null;
}

export interface CaseDetailView {
  case: Case | null;
  events: CaseEvent[];
  actions: ActionView[];
}

export interface ReferenceView {
  divisions: Division[];
  grids: Grid[];
  officers: Officer[];
  cameras: Camera[];
  categories: Category[];
  departments: Department[];
}

/**
 * The reference lists a map draws its first frame from: the divisions and grids (its areas), the
 * categories and departments. `map.reference` without the officers' and cameras' objects (≈ 80 %
 * of its 7 MB for the city): the map snapshot has their columns.
 */
export type MapBaseView = Omit<ReferenceView, 'officers' | 'cameras'>;

export interface OverviewCounts {
  /** False while the cache's first snapshot is still being written: the counts are not yet the jurisdiction's. */
  synced: boolean;
  grids: number;
  /** Grid officers (网格管理员) of the seat's jurisdiction. */
  officers: number;
  /** The others the seat may dispatch to or sees named: mobile squads, department handlers. */
  handlers: number;
  cameras: number;
  openCases: number;
  /** Cases with this console's actions not yet answered by the server. */
  pending: number;
}

export interface StartView {
  seat: SeatView;
  /** Where a damaged cache was moved aside (it is being rebuilt from the server), else null. */
  cacheRebuilt: string | null;
}

const view = <T>() => z.custom<T>(() => true);
const CaseId = z.string().min(1).max(64);
const OfficerId = z.string().min(1).max(64);
const Ms = z.number().int().nonnegative().max(8.64e15);
const Bbox = z.tuple([
  z.number().min(-180).max(180),
  z.number().min(-90).max(90),
  z.number().min(-180).max(180),
  z.number().min(-90).max(90),
]);
const CaseFilter = z
  .strictObject({
    states: z.array(z.string().max(32)).max(16).optional(),
    limit: z.number().int().positive().max(1_000_000).optional(),
  })
  .optional();

// ---- video wall and windows ----
export const SELECTION_KINDS = ['case', 'officer', 'grid', 'camera'] as const;
/** What one window selected, for every other window to focus (the selection bus through main). */
export const Selection = z.strictObject({
  kind: z.enum(SELECTION_KINDS),
  id: z.string().min(1).max(64),
  /** The window that selected it (a random id per window): it ignores its own echo. */
  origin: z.string().min(1).max(64),
  /** Where it is, when the selecting window knows (the map flies there without a look-up). */
  lon: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
});
export type Selection = z.infer<typeof Selection>;
/** A selection as broadcast: numbered by main, newest wins. */
export interface SelectionChange extends Selection {
  seq: number;
  at: number;
}

// weekly briefing: argument schemas
const ScopeCodeArg = z.string().regex(/^\d{2,15}$/);
const BriefingDrillArg: z.ZodType<DrillFilter> = z.strictObject({
  scopeCode: ScopeCodeArg,
  areaCode: ScopeCodeArg.optional(),
  majorCode: z.string().max(8).optional(),
  categoryCode: z.string().max(8).optional(),
  weekday: z.number().int().min(0).max(6).optional(),
  hour: z.number().int().min(0).max(23).optional(),
  fromMs: Ms,
  toMs: Ms,
  asOfMs: Ms.optional(),
});

/** Calls: name → argument tuple schema and result schema. */
export const CALLS = {
  'app.info': { args: z.tuple([]), result: AppInfo },
  'app.ping': { args: z.tuple([z.string().max(64)]), result: z.string() },
  'connection.state': { args: z.tuple([]), result: ConnectionState },
  'session.login': {
    args: z.tuple([z.string().min(1).max(64), z.string().min(1).max(256)]),
    result: view<StartView>(),
  },
  /** Start as the seat that last logged in here (offline start from the cache). */
  'session.resume': { args: z.tuple([]), result: view<StartView>() },
  'session.current': { args: z.tuple([]), result: view<SeatView | null>() },
  'cases.list': { args: z.tuple([CaseFilter]), result: view<CaseRowView[]>() },
  'cases.get': { args: z.tuple([z.string().min(1).max(64)]), result: view<CaseDetailView>() },
  /** Queue an action (optimistic, durable); answered with the queued entry or a refusal. */
  'cases.act': {
    args: z.tuple([
      z.enum(COMMAND_TYPES as [CommandType, ...CommandType[]]),
      z.record(z.string(), z.unknown()),
      z.number().int().nonnegative().nullable(),
      /** Hold in the outbox this long before sending: the undo window (≤ 30 s). */
      z.number().int().min(0).max(30_000).nullable().optional(),
    ]),
    result: view<ActionView>(),
  },
  'conflicts.list': { args: z.tuple([]), result: view<ActionView[]>() },
  /** This console's actions the server has not answered yet (held or waiting to be sent), oldest first. */
  'outbox.pending': { args: z.tuple([]), result: view<ActionView[]>() },
  /**
   * The human numbers 案件编号 of these cases as this console knows them: the server's number,
   * or the provisional one of a case only in the outbox; ids it knows nothing of are left out.
   */
  'cases.numbers': {
    args: z.tuple([z.array(z.string().min(1).max(64)).max(500)]),
    result: view<Record<string, string>>(),
  },
  // ---- shift ----
  /** Undo a held action (still in its undo window): answered withdrawn / sent / later-actions / unknown. */
  'cases.undo': {
    args: z.tuple([z.string().min(1).max(64)]),
    result: view<'withdrawn' | 'sent' | 'later-actions' | 'unknown'>(),
  },
  'session.shift': { args: z.tuple([]), result: view<ShiftSummary>() },
  /** Hand over and log out: records the shift with its note, ends the seat's session here. */
  'session.logout': { args: z.tuple([z.string().max(4_000)]), result: view<HandoverRecord>() },
  /** The alert feed of the seat's scope. */
  'alerts.list': { args: z.tuple([]), result: view<AlertFeed>() },
  /** Acknowledge an alert as this seat; answered with the alert (first ack wins). */
  'alerts.ack': { args: z.tuple([z.string().min(1).max(200)]), result: view<AlertView>() },
  /** The workstation's record of who held which seat when, newest first. */
  'session.shiftLog': {
    args: z.tuple([z.number().int().positive().max(500).optional()]),
    result: view<HandoverRecord[]>(),
  },
  'conflicts.acknowledge': { args: z.tuple([z.string().min(1).max(64)]), result: z.boolean() },
  /** What the seat's cache holds (counts only). */
  'overview.counts': { args: z.tuple([]), result: view<OverviewCounts>() },
  'map.reference': { args: z.tuple([]), result: view<ReferenceView>() },
  /** The map's start: `map.reference` without the officers' and cameras' objects (MapBaseView). */
  'map.base': { args: z.tuple([]), result: view<MapBaseView>() },
  'map.positions': { args: z.tuple([]), result: view<OfficerFix[]>() },
  /** The situation map's start: open cases, officers, cameras of the scope as typed columns. */
  'map.snapshot': { args: z.tuple([]), result: view<MapSnapshot>() },
  /**
   * Rows for the ids of `cases.changed` events (≤ 8,000 ids each): open ones to draw, the rest to
   * remove. At most 20,000 ids a call: the web host refuses frames over 1 MB.
   */
  'map.cases': { args: z.tuple([z.array(CaseId).max(20_000)]), result: view<MapCaseChanges>() },
  /** Recorded officer tracks in [from, to] (epoch ms); null ids = every officer. */
  'map.tracks': {
    args: z.tuple([z.array(OfficerId).max(20_000).nullable(), Ms, Ms]),
    result: view<OfficerTrack[]>(),
  },
  /**
   * Managed places (rentals, "三小" venues) of the scope, for high zooms; works offline once
   * fetched. With a box [west, south, east, north] only the places inside it: a city seat has
   * ≈ 977k (≈ 27 MB over the web host), the view at zoom 15 a few thousand.
   */
  'map.places': { args: z.tuple([Bbox.nullable().optional()]), result: view<MapPlaces>() },
  // ---- case desk ----
  /** The case desk's queue: every open case of the seat as compact columns (no case JSON). */
  'desk.queue': { args: z.tuple([]), result: view<DeskQueue>() },
  /** Queue rows for the ids of `cases.changed` events; closed/voided/unknown ones in `removed`. */
  'desk.rows': { args: z.tuple([z.array(CaseId).max(20_000)]), result: view<DeskRowChanges>() },
  /** Officers ranked for dispatching a case, with the reasons. */
  'desk.recommend': {
    args: z.tuple([CaseId, z.number().int().positive().max(50).optional()]),
    result: view<RankedOfficer[]>(),
  },
  /** The seat's figures (evaluation.ts rates) today and this week, from the server (last copy offline). */
  'desk.figures': { args: z.tuple([]), result: view<DeskFiguresView>() },
  /** The 督办 orders on the cases the seat holds, newest first (src-shared/desk/supervision-list.ts). */
  'desk.supervision': { args: z.tuple([]), result: view<SupervisionItem[]>() },
  /** A case photo's bytes, fetched by the main side with the seat's token. */
  'cases.photo': {
    args: z.tuple([z.string().regex(/^[0-9a-f]{64}$/)]),
    result: view<{ hash: string; mime: string; bytes: Uint8Array }>(),
  },
  // ---- weekly briefing ----
  /**
   * The seat's briefing rollups: which weeks and areas there are, how fresh the copy is. With
   * `true` the server is asked for a newer copy (If-None-Match); without, only once per session.
   */
  'briefing.status': { args: z.tuple([z.boolean().optional()]), result: view<BriefingStatus>() },
  /** The briefing of a week (null: the last complete one) for the seat's scope or an area below it. */
  'briefing.analyse': {
    args: z.tuple([z.number().int().min(0).max(1e6).nullable(), ScopeCodeArg.nullable()]),
    result: view<BriefingReport>(),
  },
  /** The cases behind a figure that this console holds (open and recent cases), newest first. */
  'briefing.drill': {
    args: z.tuple([BriefingDrillArg, z.number().int().positive().max(2_000).optional()]),
    result: view<BriefingDrillResult>(),
  },
  /** Cases per village of a week at the village centres (the hot-spot layer). */
  'briefing.hotSpots': {
    args: z.tuple([z.number().int().min(0).max(1e6), ScopeCodeArg.nullable(), z.string().max(8).optional()]),
    result: view<BriefingHotSpot[]>(),
  },
  /** The week's briefing as a CSV (UTF-8 with BOM) or XLSX file. */
  'briefing.export': {
    args: z.tuple([
      z.enum(['csv', 'xlsx']),
      z.number().int().min(0).max(1e6).nullable(),
      ScopeCodeArg.nullable(),
      z.enum(UI_LOCALES),
    ]),
    result: view<BriefingExportFile>(),
  },
  // ---- video wall and windows ----
  /** Focus a case/officer/grid/camera in every window; answered with the broadcast change (null: unchanged). */
  'selection.set': { args: z.tuple([Selection]), result: view<SelectionChange | null>() },
  /** The last selection, for a window that opens later. */
  'selection.current': { args: z.tuple([]), result: view<SelectionChange | null>() },
  /** A video frame (base64 JPEG/PNG ≤ 1 MB) uploaded by main and queued as addPhoto on the case. */
  'video.snapshot': {
    args: z.tuple([CaseId, z.string().min(8).max(1_400_000), z.string().max(200).nullable()]),
    result: view<{ hash: string; commandId: string }>(),
  },
  // ---- inspections ----
  /** Coverage of a month (null: the current one) per grid or per officer, for the seat's scope or an area below it. */
  'inspections.coverage': {
    args: z.tuple([MonthText.nullable(), z.enum(['grid', 'officer']), InspectionScope.nullable()]),
    result: view<Fetched<CoverageAnswer>>(),
  },
  /** Work orders of a grid or an officer (works offline with the copy last fetched). */
  'inspections.orders': { args: z.tuple([OrdersFilter]), result: view<Fetched<OrdersAnswer>>() },
  /** The tier re-grading queue of the seat's scope. */
  'inspections.regrades': {
    args: z.tuple([z.enum(REGRADE_STATUSES)]),
    result: view<Fetched<RegradesAnswer>>(),
  },
  /** Places of the seat with an overdue or missed visit this month (the map's rings; works offline). */
  'inspections.placeFlags': { args: z.tuple([]), result: view<Fetched<PlaceFlagsAnswer>>() },
  /** Approve or reject a re-grading proposal (online only: the server decides who may). */
  'inspections.decide': {
    args: z.tuple([
      z
        .number()
        .int()
        .positive()
        .max(2 ** 31),
      z.boolean(),
      z.string().max(500).nullable(),
    ]),
    result: view<RegradeRow>(),
  },
  // ---- workstation settings ----
  /** The settings, who may change them, the key storage and the server link's state. */
  'settings.get': { args: z.tuple([]), result: view<SettingsView>() },
  /** Save (first run, or the admin role); validated on the main side. */
  'settings.save': { args: z.tuple([z.record(z.string(), z.unknown())]), result: view<SettingsView>() },
  /** Open the settings window (the admin role). */
  'settings.open': { args: z.tuple([]), result: z.boolean() },
} as const;
export type CallName = keyof typeof CALLS;
export type CallArgs<K extends CallName> = z.infer<(typeof CALLS)[K]['args']>;
export type CallResult<K extends CallName> = z.infer<(typeof CALLS)[K]['result']>;

/**
 * The calls the main side answers itself (facts about the app, the selection bus between
 * windows, the shell's settings). Every other call is a data call: forwarded by name to the data
 * worker, whose feature handlers answer it (src-main/data/handlers.ts).
 */
export const MAIN_CALLS = [
  'app.info',
  'app.ping',
  'selection.set',
  'selection.current',
  'settings.get',
  'settings.save',
  'settings.open',
] as const satisfies readonly CallName[];
export type MainCallName = (typeof MAIN_CALLS)[number];
export type DataCallName = Exclude<CallName, MainCallName>;

export function isDataCall(name: CallName): name is DataCallName {
  return !(MAIN_CALLS as readonly string[]).includes(name);
}

/** Every data call's name, in contract order. */
export const DATA_CALLS: readonly DataCallName[] = (Object.keys(CALLS) as CallName[]).filter(isDataCall);

/** The connection as shown before a data worker or a seat exists. */
export const OFFLINE_STATE: ConnectionState = {
  status: 'offline',
  queueLength: 0,
  lastSyncAt: null,
  refused: null,
};

/** Events pushed from main to every window. */
export const EVENTS = {
  'connection.changed': ConnectionState,
  'cases.changed': view<{ ids: string[] }>(),
  'outbox.changed': view<{ commandIds: string[] }>(),
  'reference.changed': view<Record<string, never>>(),
  /** Officer fixes, once per server telemetry flush (≈ 1 s), indexed by MapSnapshot.officers. */
  'positions.batch': view<PositionBatch>(),
  /** A newer copy of the managed places is available: ask `map.places` again. */
  'places.changed': view<Record<string, never>>(),
  // ---- video wall and windows ----
  'selection.changed': view<SelectionChange>(),
  // ---- shift ----
  /** The seat of this workstation changed (null: logged out): every window follows. */
  'session.changed': view<{ seat: SeatView | null }>(),
} as const;
export type { SettingsView } from './settings-view';
export type EventName = keyof typeof EVENTS;
export type EventPayload<K extends EventName> = z.infer<(typeof EVENTS)[K]>;

/**
 * An answer the data worker already wrote as JSON text (e.g. the reference lists, built by
 * joining the cache's stored JSON rows): the web host splices the text into its wire message and
 * the renderer parses it once, instead of parse → structured clone → stringify → parse of
 * megabytes of small objects. Over Electron IPC it arrives as this marker and the renderer's
 * bridge parses it (`decodePreEncoded`). The type parameter records what the text holds.
 */
export interface PreEncoded<T> {
  readonly $json: string;
  /** Phantom: never present at run time. */
  readonly __holds?: T;
}

export const preEncoded = <T>(json: string): PreEncoded<T> => ({ $json: json });

export function isPreEncoded(v: unknown): v is PreEncoded<unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { $json?: unknown }).$json === 'string' &&
    Object.keys(v).length === 1
  );
}

/** The calls whose answer may be JSON text written by the data worker (see PreEncoded). */
export type PreEncodedCall = 'map.reference' | 'map.base';

/** What a handler of call K answers: its result, or for a PreEncodedCall that result as text. */
export type Answer<K extends CallName> = K extends PreEncodedCall
  ? CallResult<K> | PreEncoded<CallResult<K>>
  : CallResult<K>;

/** The service the main side implements; a missing handler is a type error. */
export type ConsoleHandlers = {
  [K in CallName]: (...args: CallArgs<K>) => Promise<Answer<K>>;
};

/** Channel names on the wire are prefixed so main can refuse anything else. */
export const CHANNEL_PREFIX = 'gc:';
export const callChannel = (name: CallName): string => `${CHANNEL_PREFIX}call:${name}`;
export const eventChannel = (name: EventName): string => `${CHANNEL_PREFIX}event:${name}`;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CALLS, name);
}

/** The envelope of a call answer: errors are values (STYLE.md §5). */
export type CallAnswer<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** What the preload exposes as `window.gridConsole` and the web bridge implements too. */
export interface ConsoleBridge {
  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallAnswer<CallResult<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}
