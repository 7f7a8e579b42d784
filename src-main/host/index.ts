// Composition root of the web host: the same services as the Electron shell, served to a
// browser. Run by `npm start` when Electron's binary is absent, and by the e2e tests.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { consoleService } from '../app/console-service';
import { forwardChange } from '../app/wire-events';
import { DataClient } from '../data/data-client';
import { fileSessionKey } from '../data/secret-box';
import { WebHost } from './web-host';
import { SelectionBus } from '../app/selection-bus';
import { startMark } from '../app/start-marks';

export interface StartedHost {
  host: WebHost;
  url: string;
  data: DataClient | null;
  stop(): Promise<void>;
}

export interface HostOptions {
  rootDir: string;
  port?: number;
  token?: string;
  /** The central dispatch server; without it the console shows only its shell. */
  serverUrl?: string;
  /** PEM file of the CA(s) to trust when serverUrl is https (GRID_CONSOLE_CA_FILE). */
  caFile?: string;
  /** Where the console keeps its cache, outbox and session (default <root>/.data/console). */
  dataDir?: string;
  log?: (line: string) => void;
  /** The data worker's entry: the TypeScript source (default, run through tsx) or a built bundle. */
  workerFile?: string;
}

export async function startWebHost(options: HostOptions): Promise<StartedHost> {
  const pkg = JSON.parse(readFileSync(resolve(options.rootDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  let host: WebHost | null = null;
  let data: DataClient | null = null;
  if (options.serverUrl) {
    const dataDir = options.dataDir ?? resolve(options.rootDir, '.data/console');
    mkdirSync(dataDir, { recursive: true });
    startMark('host:worker-spawn');
    data = new DataClient({
      dataDir,
      serverUrl: options.serverUrl,
      ...(options.caFile ? { caFile: options.caFile } : {}),
      workerFile: options.workerFile ?? resolve(options.rootDir, 'src-main/data/data-worker.ts'),
      sessionKey: fileSessionKey(join(dataDir, 'session.key')).toString('base64'),
      secretKind: 'aes-256-gcm/file-0600',
      onChange: (change) => host && forwardChange((name, payload) => host?.emit(name, payload), change),
      log: options.log,
    });
  }
  // Video wall and windows: the selection bus links every browser window/tab.
  const selection = new SelectionBus((change) => host?.emit('selection.changed', change));
  const service = consoleService({
    host: 'web',
    version: pkg.version,
    platform: process.platform,
    data,
    selection,
  });
  const worker = data;
  host = new WebHost({
    rendererDir: resolve(options.rootDir, 'out/renderer'),
    handlers: service,
    port: options.port,
    token: options.token,
    log: options.log,
    media: worker ? (cameraId, file, range) => worker.call('media.fetch', cameraId, file, range) : undefined,
  });
  const url = await host.start();
  startMark('host:listening');
  const started = host;
  return {
    host: started,
    url,
    data,
    async stop() {
      await data?.close();
      await started.stop();
    },
  };
}
