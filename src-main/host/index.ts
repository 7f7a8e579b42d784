// Composition root of the web host: the same services as the Electron shell, served to a
// browser. Run by `npm start` when Electron's binary is absent, and by the e2e tests. The host
// listens before the console's service (the contract's schemas) has loaded: the page's files
// are served meanwhile, its calls wait for the service (web-host.ts, bridge-socket.ts).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { forwardChange } from '../app/wire-events';
import type { DataClient } from '../data/data-client';
import { WebHost } from './web-host';
import { SelectionBus } from '../app/selection-bus';
import { startMark } from '../app/start-marks';
import { startHostData, type HostData, type HostDataOptions } from './host-data';

export interface StartedHost {
  host: WebHost;
  url: string;
  data: DataClient | null;
  stop(): Promise<void>;
}

export interface HostOptions extends HostDataOptions {
  port?: number;
  token?: string;
  /** The data worker when the caller started it already (startHostData); else started here. */
  data?: HostData | null;
}

export async function startWebHost(options: HostOptions): Promise<StartedHost> {
  const pkg = JSON.parse(readFileSync(resolve(options.rootDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  let host: WebHost | null = null;
  const started = options.data === undefined ? startHostData(options) : options.data;
  const data = started?.client ?? null;
  started?.listen((change) => host && forwardChange((name, payload) => host?.emit(name, payload), change));
  // Video wall and windows: the selection bus links every browser window/tab.
  const selection = new SelectionBus((change) => host?.emit('selection.changed', change));
  const service = import('../app/console-service').then(({ consoleService }) =>
    consoleService({ host: 'web', version: pkg.version, platform: process.platform, data, selection }),
  );
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
  const running = host;
  return {
    host: running,
    url,
    data,
    async stop() {
      await data?.close();
      await running.stop();
    },
  };
}
