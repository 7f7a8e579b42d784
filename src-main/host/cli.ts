// `npm start` without Electron: start the web host and open the system browser (or print the URL).
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { newestSourceMtime } from '../../src-node/fs/newest-mtime.mjs';
import { startMark } from '../app/start-marks';
// Only what starts the data worker is loaded before it starts; the rest of the host after.
import { startHostData } from './host-data';

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

/** This file runs as built JavaScript (out/main/web-host.js), not under tsx. */
const runsBuilt = !import.meta.filename.endsWith('.ts');

/**
 * The data worker as built by `npm run build` when it is newer than its sources: it starts in
 * about half the time of the TypeScript source under tsx. Tests and stale builds use the source.
 * The built host always runs the worker built with it (there is no tsx to run the source).
 */
function builtWorker(): string | undefined {
  const built = resolve(rootDir, 'out/main/data-worker.js');
  if (runsBuilt) return built;
  if (process.env.GRID_CONSOLE_WORKER_FROM_SOURCE === '1' || !existsSync(built)) return undefined;
  const sources = newestSourceMtime(rootDir, ['src-main', 'src-node', 'src-shared']);
  return statSync(built).mtimeMs >= sources ? built : undefined;
}

const CLI_HELP = `网格指挥台 Grid Console — web host (the console in a browser, without Electron)

Usage: node out/main/web-host.js [--help]   (normally started by \`npm start\`;
       tsx src-main/host/cli.ts runs it from source)

Starts the console's web host on 127.0.0.1 and opens the system browser (or prints the URL).
Needs \`npm run build\` (out/renderer) first.

Environment:
  GRID_CONSOLE_SERVER_URL        dispatch server to use (e.g. http://127.0.0.1:7420, or https://…)
  GRID_CONSOLE_CA_FILE           PEM file of the CA(s) to trust for an https dispatch server
  GRID_CONSOLE_PORT              port of the web host (default: a random free port)
  GRID_CONSOLE_DATA_DIR          data folder (default: .data; the console uses <dir>/console)
  GRID_CONSOLE_NO_BROWSER=1      do not open a browser, only print the URL
  GRID_CONSOLE_WORKER_FROM_SOURCE=1  run the data worker from TypeScript even when built (tsx only)
  GRID_CONSOLE_START_MARKS=1     print where the start's time goes (bench/cold-start)
`;

async function main(argv: readonly string[]): Promise<void> {
  startMark('host:process', performance.timeOrigin);
  startMark('host:modules');
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(CLI_HELP);
    return;
  }
  const unknown = argv.filter((a) => a.startsWith('-'));
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(' ')}\n\n${CLI_HELP}`);
    process.exit(2);
  }
  if (!existsSync(resolve(rootDir, 'out/renderer/index.html'))) {
    console.error('The renderer is not built: run `npm run build` first.');
    process.exit(1);
  }
  const port = process.env.GRID_CONSOLE_PORT ? Number(process.env.GRID_CONSOLE_PORT) : 0;
  const serverUrl = process.env.GRID_CONSOLE_SERVER_URL;
  const dataRoot = process.env.GRID_CONSOLE_DATA_DIR
    ? resolve(process.env.GRID_CONSOLE_DATA_DIR)
    : resolve(rootDir, '.data');
  const workerFile = builtWorker();
  console.log(`[console] data worker: ${workerFile ? 'built bundle (out/main)' : 'TypeScript source (tsx)'}`);
  const options = {
    rootDir,
    port,
    serverUrl,
    caFile: process.env.GRID_CONSOLE_CA_FILE || undefined,
    workerFile,
    dataDir: resolve(dataRoot, 'console'),
    log: (line: string) => console.log(`[console] ${line}`),
  };
  const data = startHostData(options);
  const { startWebHost } = await import('./index');
  const started = await startWebHost({ ...options, data });
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

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
