// `npm start` without Electron: start the web host and open the system browser (or print the URL).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startWebHost } from './index';

const rootDir = resolve(import.meta.dirname, '../..');

function openBrowser(url: string): boolean {
  if (process.env.GRID_CONSOLE_NO_BROWSER === '1' || process.env.CI) return false;
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (!existsSync(resolve(rootDir, 'out/renderer/index.html'))) {
    console.error('The renderer is not built: run `npm run build` first.');
    process.exit(1);
  }
  const port = process.env.GRID_CONSOLE_PORT ? Number(process.env.GRID_CONSOLE_PORT) : 0;
  const serverUrl = process.env.GRID_CONSOLE_SERVER_URL;
  const dataRoot = process.env.GRID_CONSOLE_DATA_DIR
    ? resolve(process.env.GRID_CONSOLE_DATA_DIR)
    : resolve(rootDir, '.data');
  const started = await startWebHost({
    rootDir,
    port,
    serverUrl,
    dataDir: resolve(dataRoot, 'console'),
    log: (line) => console.log(`[console] ${line}`),
  });
  const opened = openBrowser(started.url);
  console.log(
    `网格指挥台 Grid Console — web host on 127.0.0.1${serverUrl ? `, dispatch server ${serverUrl}` : ' (no dispatch server configured)'}`,
  );
  console.log(
    opened ? `Opened in your browser: ${started.url}` : `Open this URL in a browser: ${started.url}`,
  );
  const stop = (): void => {
    void started.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
