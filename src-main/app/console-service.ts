// The main side's implementation of the IPC contract. Plain class, no electron: the Electron
// shell and the web host both construct it in their composition roots.
import type { AppInfo, ConnectionState, ConsoleHandlers } from '../../src-shared/ipc/contract';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/messages';

export interface ConsoleServiceOptions {
  host: AppInfo['host'];
  version: string;
  platform: string;
}

export class ConsoleService implements ConsoleHandlers {
  private connection: ConnectionState = { status: 'offline', queueLength: 0, lastSyncAt: null };

  constructor(private readonly options: ConsoleServiceOptions) {}

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

  'connection.state' = (): Promise<ConnectionState> => Promise.resolve(this.connection);
}
