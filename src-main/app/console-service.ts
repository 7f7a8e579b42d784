// The main side's implementation of the IPC contract. Plain class, no electron: the Electron
// shell and the web host both construct it in their composition roots. Data calls go to the
// data worker (DataClient); nothing here touches SQLite on the main event loop.
import type {
  ActionView,
  AppInfo,
  CaseDetailView,
  CaseRowView,
  ConnectionState,
  ConsoleHandlers,
  OverviewCounts,
  PreEncoded,
  ReferenceView,
  SeatView,
  StartView,
} from '../../src-shared/ipc/contract';
import { preEncoded } from '../../src-shared/ipc/contract';
import type { MapCaseChanges, MapPlaces, MapSnapshot, OfficerTrack } from '../../src-shared/ipc/map-data';
import type { CommandType } from '../../src-shared/protocol/commands';
import type { OfficerFix } from '../../src-shared/protocol/entities';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/messages';
import type { Result } from '../../src-shared/util/result';
import type { DataClient } from '../data/data-client';
import type { CasePhoto } from '../data/desk-photos';
import type { DeskQueue, DeskRowChanges } from '../../src-shared/desk/queue-data';
import type { RankedOfficer } from '../../src-shared/desk/recommend';
import type { DeskFigures } from '../../src-shared/desk/figures';
import type { DrillFilter } from '../../src-shared/briefing/briefing';
import type { Locale } from '../../src-shared/briefing/explain';
import type {
  BriefingDrillResult,
  BriefingExportFile,
  BriefingExportKind,
  BriefingHotSpot,
  BriefingReport,
  BriefingStatus,
} from '../../src-shared/briefing/view';
import { CallError } from './call-router';
// ---- video wall and windows (issue 7) ----
import type {
  AlertFeed,
  AlertView,
  HandoverRecord,
  Selection,
  SelectionChange,
  ShiftSummary,
} from '../../src-shared/ipc/contract';
import type { SelectionBus } from './selection-bus';
import type { SettingsView } from '../../src-shared/ipc/settings-view';
// inspections (issue 9)
import type {
  CoverageAnswer,
  Fetched,
  OrdersAnswer,
  OrdersFilter,
  PlaceFlagsAnswer,
  RegradeRow,
  RegradeStatus,
  RegradesAnswer,
} from '../../src-shared/inspections/model';

export interface ConsoleServiceOptions {
  host: AppInfo['host'];
  version: string;
  platform: string;
  /** The data worker; null when the console runs without a server configured. */
  data: Pick<DataClient, 'call'> | null;
  // ---- video wall and windows (issue 7) ----
  /** The selection bus between windows (selection-bus.ts); without it selections stay local. */
  selection?: SelectionBus;
  // ---- workstation settings (issue 19) ----
  /** The desktop app's settings (src-main/electron/shell.ts); absent in the web host. */
  settings?: SettingsPort;
}

/** What the settings calls reach: the shell implements it (who may save is its rule). */
export interface SettingsPort {
  get(): Promise<SettingsView>;
  save(input: Record<string, unknown>): Promise<SettingsView>;
  open(): Promise<boolean>;
}

const OFFLINE: ConnectionState = { status: 'offline', queueLength: 0, lastSyncAt: null, refused: null };

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CallError(r.error.code, r.error.message);
  return r.data;
}

export class ConsoleService implements ConsoleHandlers {
  constructor(private readonly options: ConsoleServiceOptions) {}

  private get data(): Pick<DataClient, 'call'> {
    if (!this.options.data)
      throw new CallError('NO_DATA_SERVICE', 'this console has no dispatch server configured');
    return this.options.data;
  }

  'app.info' = (): Promise<AppInfo> =>
    Promise.resolve({
      name: 'Grid Console',
      version: this.options.version,
      host: this.options.host,
      platform: this.options.platform,
      protocolVersion: PROTOCOL_VERSION,
      timeZone: 'Asia/Shanghai',
    });

  'app.ping' = (text: string): Promise<string> => Promise.resolve(`pong:${text}`);

  'connection.state' = async (): Promise<ConnectionState> => {
    if (!this.options.data) return OFFLINE;
    return (await this.data.call('connection')) ?? OFFLINE;
  };

  'session.login' = async (userName: string, password: string): Promise<StartView> =>
    unwrap(await this.data.call('login', userName, password));

  'session.resume' = async (): Promise<StartView> => unwrap(await this.data.call('resume'));

  'session.current' = async (): Promise<SeatView | null> =>
    this.options.data ? this.data.call('seatInfo') : null;

  'cases.list' = async (filter?: { states?: string[]; limit?: number }): Promise<CaseRowView[]> =>
    this.data.call('cases', filter ?? {});

  'cases.get' = async (id: string): Promise<CaseDetailView> => this.data.call('caseDetail', id);

  'cases.act' = async (
    type: CommandType,
    payload: Record<string, unknown>,
    baseVersion: number | null,
    holdMs?: number | null,
  ): Promise<ActionView> => unwrap(await this.data.call('queue', type, payload, baseVersion, holdMs ?? 0));

  // ---- shift (issue 18) ----
  'cases.undo' = async (commandId: string): Promise<'withdrawn' | 'sent' | 'later-actions' | 'unknown'> =>
    this.data.call('undo', commandId);

  'session.shift' = async (): Promise<ShiftSummary> => this.data.call('shiftSummary');

  'session.logout' = async (note: string): Promise<HandoverRecord> => {
    const record = await this.data.call('logout', note);
    // A new seat starts with nothing selected: the last shift's selection is not the next one's.
    this.options.selection?.clear();
    return record;
  };

  'alerts.list' = async (): Promise<AlertFeed> => this.data.call('alerts');

  'alerts.ack' = async (id: string): Promise<AlertView> => unwrap(await this.data.call('ackAlert', id));

  'session.shiftLog' = async (limit?: number): Promise<HandoverRecord[]> => this.data.call('shiftLog', limit);

  'conflicts.list' = async (): Promise<ActionView[]> => this.data.call('conflicts');

  'conflicts.acknowledge' = async (commandId: string): Promise<boolean> =>
    this.data.call('acknowledgeConflict', commandId);

  'overview.counts' = async (): Promise<OverviewCounts> => this.data.call('overviewCounts');

  'map.reference' = async (): Promise<PreEncoded<ReferenceView>> =>
    preEncoded<ReferenceView>(await this.data.call('referenceJson'));

  'map.positions' = async (): Promise<OfficerFix[]> => this.data.call('positions');

  'map.snapshot' = async (): Promise<MapSnapshot> => this.data.call('mapSnapshot');

  'map.cases' = async (ids: string[]): Promise<MapCaseChanges> => this.data.call('mapCases', ids);

  'map.tracks' = async (officerIds: string[] | null, fromMs: number, toMs: number): Promise<OfficerTrack[]> =>
    this.data.call('tracks', officerIds, fromMs, toMs);

  'map.places' = async (bbox?: [number, number, number, number] | null): Promise<MapPlaces> =>
    unwrap(await this.data.call('places', bbox ?? null));

  // ---- case desk (issue 6) ----
  'desk.queue' = async (): Promise<DeskQueue> => this.data.call('deskQueue');

  'desk.rows' = async (ids: string[]): Promise<DeskRowChanges> => this.data.call('deskRows', ids);

  'desk.recommend' = async (caseId: string, limit?: number): Promise<RankedOfficer[]> =>
    this.data.call('deskRecommend', caseId, limit);

  'desk.figures' = async (): Promise<DeskFigures> => this.data.call('deskFigures');

  'cases.photo' = async (hash: string): Promise<CasePhoto> => unwrap(await this.data.call('casePhoto', hash));

  // ---- weekly briefing (issue 8) ----
  'briefing.status' = async (refresh?: boolean): Promise<BriefingStatus> =>
    this.data.call('briefingStatus', refresh);

  'briefing.analyse' = async (week: number | null, scope: string | null): Promise<BriefingReport> =>
    this.data.call('briefingAnalyse', week, scope);

  'briefing.drill' = async (filter: DrillFilter, limit?: number): Promise<BriefingDrillResult> =>
    this.data.call('briefingDrill', filter, limit);

  'briefing.hotSpots' = async (
    week: number,
    scope: string | null,
    majorCode?: string,
  ): Promise<BriefingHotSpot[]> => this.data.call('briefingHotSpots', week, scope, majorCode);

  'briefing.export' = async (
    kind: BriefingExportKind,
    week: number | null,
    scope: string | null,
    locale: Locale,
  ): Promise<BriefingExportFile> => this.data.call('briefingExport', kind, week, scope, locale);

  // ---- inspections (issue 9) ----
  'inspections.coverage' = async (
    month: string | null,
    by: 'grid' | 'officer',
    scope: string | null,
  ): Promise<Fetched<CoverageAnswer>> =>
    unwrap(await this.data.call('inspectionsCoverage', month, by, scope));

  'inspections.orders' = async (filter: OrdersFilter): Promise<Fetched<OrdersAnswer>> =>
    unwrap(await this.data.call('inspectionsOrders', filter));

  'inspections.regrades' = async (status: RegradeStatus): Promise<Fetched<RegradesAnswer>> =>
    unwrap(await this.data.call('inspectionsRegrades', status));

  'inspections.placeFlags' = async (): Promise<Fetched<PlaceFlagsAnswer>> =>
    unwrap(await this.data.call('inspectionsPlaceFlags'));

  'inspections.decide' = async (id: number, approve: boolean, note: string | null): Promise<RegradeRow> =>
    unwrap(await this.data.call('inspectionsDecide', id, approve, note));

  // ---- video wall and windows (issue 7) ----
  'selection.set' = (selection: Selection): Promise<SelectionChange | null> =>
    Promise.resolve(this.options.selection ? this.options.selection.set(selection) : null);

  'selection.current' = (): Promise<SelectionChange | null> =>
    Promise.resolve(this.options.selection?.last() ?? null);

  'video.snapshot' = async (
    caseId: string,
    base64: string,
    caption: string | null,
  ): Promise<{ hash: string; commandId: string }> =>
    unwrap(await this.data.call('videoSnapshot', caseId, base64, caption));

  // ---- workstation settings (issue 19) ----
  private get settings(): SettingsPort {
    if (!this.options.settings)
      throw new CallError(
        'NOT_AVAILABLE',
        'settings belong to the desktop app; the web host is set up by `npm start`',
      );
    return this.options.settings;
  }

  'settings.get' = (): Promise<SettingsView> => this.settings.get();

  'settings.save' = (input: Record<string, unknown>): Promise<SettingsView> => this.settings.save(input);

  'settings.open' = (): Promise<boolean> => this.settings.open();
}
