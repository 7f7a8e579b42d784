// Composition root of the web host: the same services as the Electron shell, served to a
// browser. Run by `npm start` when Electron's binary is absent, and by the e2e tests.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConsoleService } from '../app/console-service';
import { WebHost } from './web-host';

export interface StartedHost {
  host: WebHost;
  url: string;
  stop(): Promise<void>;
}

export interface HostOptions {
  rootDir: string;
  port?: number;
  token?: string;
}

export async function startWebHost(options: HostOptions): Promise<StartedHost> {
  const pkg = JSON.parse(readFileSync(resolve(options.rootDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const service = new ConsoleService({ host: 'web', version: pkg.version, platform: process.platform });
  const host = new WebHost({
    rendererDir: resolve(options.rootDir, 'out/renderer'),
    handlers: service,
    port: options.port,
    token: options.token,
  });
  const url = await host.start();
  return { host, url, stop: () => host.stop() };
}
