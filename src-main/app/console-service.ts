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
  ReferenceView,
  SeatView,
  StartView,
} from '../../src-shared/ipc/contract';
import type { MapCaseChanges, MapPlaces, MapSnapshot, OfficerTrack } from '../../src-shared/ipc/map-data';
import type { CommandType } from '../../src-shared/protocol/commands';
import type { OfficerFix } from '../../src-shared/protocol/entities';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/messages';
import type { Result } from '../../src-shared/util/result';
import type { DataClient } from '../data/data-client';
import { CallError } from './call-router';

export interface ConsoleServiceOptions {
  host: AppInfo['host'];
  version: string;
  platform: string;
  /** The data worker; null when the console runs without a server configured. */
  data: Pick<DataClient, 'call'> | null;
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
  ): Promise<ActionView> => unwrap(await this.data.call('queue', type, payload, baseVersion));

  'conflicts.list' = async (): Promise<ActionView[]> => this.data.call('conflicts');

  'conflicts.acknowledge' = async (commandId: string): Promise<boolean> =>
    this.data.call('acknowledgeConflict', commandId);

  'map.reference' = async (): Promise<ReferenceView> => this.data.call('reference');

  'map.positions' = async (): Promise<OfficerFix[]> => this.data.call('positions');

  'map.snapshot' = async (): Promise<MapSnapshot> => this.data.call('mapSnapshot');

  'map.cases' = async (ids: string[]): Promise<MapCaseChanges> => this.data.call('mapCases', ids);

  'map.tracks' = async (officerIds: string[] | null, fromMs: number, toMs: number): Promise<OfficerTrack[]> =>
    this.data.call('tracks', officerIds, fromMs, toMs);

  'map.places' = async (bbox?: [number, number, number, number] | null): Promise<MapPlaces> =>
    unwrap(await this.data.call('places', bbox ?? null));

  // ---- case desk (issue 6) ----

  // ---- weekly briefing (issue 8) ----

  // ---- inspections (issue 9) ----
}
