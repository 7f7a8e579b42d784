// The main side's implementation of the IPC contract. Plain functions, no electron: the Electron
// shell and the web host both build it in their composition roots. Data calls (every call but
// MAIN_CALLS) are forwarded by their contract name to the data worker (DataClient), whose
// feature handlers answer them (src-main/data/handlers.ts); nothing here touches SQLite on the
// main event loop. The calls answered here are the app's facts, the selection bus and settings.
import {
  DATA_CALLS,
  OFFLINE_STATE,
  type AppInfo,
  type CallArgs,
  type ConsoleHandlers,
  type DataCallName,
} from '../../src-shared/ipc/contract';
import type { SettingsView } from '../../src-shared/ipc/settings-view';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/messages';
import type { DataClient } from '../data/data-client';
import { CallError } from './call-router';
import type { SelectionBus } from './selection-bus';

export interface ConsoleServiceOptions {
  host: AppInfo['host'];
  version: string;
  platform: string;
  /** The data worker; null when the console runs without a server configured. */
  data: Pick<DataClient, 'call'> | null;
  /** The selection bus between windows (selection-bus.ts); without it selections stay local. */
  selection?: SelectionBus;
  /** The desktop app's settings (src-main/electron/shell.ts); absent in the web host. */
  settings?: SettingsPort;
}

/** What the settings calls reach: the shell implements it (who may save is its rule). */
export interface SettingsPort {
  get(): Promise<SettingsView>;
  save(input: Record<string, unknown>): Promise<SettingsView>;
  open(): Promise<boolean>;
}

export type ConsoleService = ConsoleHandlers;

/** Every data call, forwarded to the worker under its contract name. */
function forwardDataCalls(worker: () => Pick<DataClient, 'call'>): Pick<ConsoleHandlers, DataCallName> {
  const forward = <K extends DataCallName>(name: K) =>
    ((...args: CallArgs<K>) =>
      (worker().call as (n: K, ...a: CallArgs<K>) => Promise<unknown>)(name, ...args)) as ConsoleHandlers[K];
  return Object.fromEntries(DATA_CALLS.map((name) => [name, forward(name)])) as Pick<
    ConsoleHandlers,
    DataCallName
  >;
}

export function consoleService(options: ConsoleServiceOptions): ConsoleService {
  const worker = (): Pick<DataClient, 'call'> => {
    if (!options.data)
      throw new CallError('NO_DATA_SERVICE', 'this console has no dispatch server configured');
    return options.data;
  };
  const settings = (): SettingsPort => {
    if (!options.settings)
      throw new CallError(
        'NOT_AVAILABLE',
        'settings belong to the desktop app; the web host is set up by `npm start`',
      );
    return options.settings;
  };
  const data = forwardDataCalls(worker);
  return {
    ...data,
    // Without a data worker the console still shows its shell: offline, nobody logged in.
    'connection.state': () => (options.data ? data['connection.state']() : Promise.resolve(OFFLINE_STATE)),
    'session.current': () => (options.data ? data['session.current']() : Promise.resolve(null)),
    'session.logout': async (note) => {
      const record = await data['session.logout'](note);
      // A new seat starts with nothing selected: the last shift's selection is not the next one's.
      options.selection?.clear();
      return record;
    },

    'app.info': () =>
      Promise.resolve({
        name: 'Grid Console',
        version: options.version,
        host: options.host,
        platform: options.platform,
        protocolVersion: PROTOCOL_VERSION,
        timeZone: 'Asia/Shanghai',
      }),
    'app.ping': (text) => Promise.resolve(`pong:${text}`),
    'selection.set': (selection) =>
      Promise.resolve(options.selection ? options.selection.set(selection) : null),
    'selection.current': () => Promise.resolve(options.selection?.last() ?? null),
    'settings.get': () => settings().get(),
    'settings.save': (input) => settings().save(input),
    'settings.open': () => settings().open(),
  };
}
