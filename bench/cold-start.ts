// Cold start to an interactive situation map from the local cache, in the web host, for the
// city seat of the full Dongguan dataset (~3,050 grids, 10,628 officers, 15,000 video points,
// ~78k open cases): budget ≤ 2 s (ARCHITECTURE.md). A fresh host process each run (module load,
// data worker, cache open + integrity check), a page navigated in an already running Chromium
// (the browser's own start is Electron's or the operator's, not ours), and the clock stopped when
// the map has drawn its first complete frame with every layer's data (maplibre `load`, then an
// idle frame after deck.gl got the snapshot). Runs online (server up, catch-up on connect) and
// offline (server gone). Baseline in the same run: the same start's data as JSON rows (the full
// case objects and reference lists the console shipped before the columnar map snapshot) over
// the same WebSocket, against the columnar `map.snapshot`.
// Run: npm run bench -- cold-start   [--runs 3]
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { ensureDataset } from '../scripts/demo-data/index';
import { DEMO_PASSWORD } from '../src-server/dataset/import-dataset';
import { startDispatchServer } from '../src-server/server';
import { setup as buildRendererIfStale } from '../tests/e2e/global-setup';
import { launchChromium } from '../tests/e2e/support/browser';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Math.max(1, Number(values.runs));
const ROOT = resolve(import.meta.dirname, '..');
const BUDGET_MS = 2_000;

interface Host {
  child: ChildProcess;
  url: string;
  spawnedAt: number;
  readyAt: number;
}

function startHost(dataRoot: string, serverUrl: string): Promise<Host> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src-main/host/cli.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      GRID_CONSOLE_DATA_DIR: dataRoot,
      GRID_CONSOLE_SERVER_URL: serverUrl,
      GRID_CONSOLE_NO_BROWSER: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<Host>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`web host did not start in 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        // The host's own log (slow calls, sync) goes to a file per run for a look afterwards.
        const log = createWriteStream(join(tmpdir(), `gc-cold-host-${child.pid}.log`));
        log.write(out);
        child.stdout.pipe(log);
        child.stderr.pipe(log);
        done({ child, url: m[1], spawnedAt, readyAt: performance.now() });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => fail(new Error(`web host exited (${code}):\n${out}`)));
  });
}

async function stopHost(h: Host): Promise<void> {
  const exited = new Promise<void>((r) => h.child.once('exit', () => r()));
  h.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (h.child.exitCode === null) h.child.kill('SIGKILL');
}

interface Run {
  hostMs: number;
  appMs: number;
  dataMs: number;
  loadMs: number;
  interactiveMs: number;
}

async function coldStart(
  browser: Browser,
  dataRoot: string,
  serverUrl: string,
  login: boolean,
): Promise<Run> {
  const host = await startHost(dataRoot, serverUrl);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const since = (): number => performance.now() - host.spawnedAt;
    await page.goto(host.url);
    if (login) {
      await page.getByTestId('login-form').waitFor({ timeout: 60_000 });
      await page.getByTestId('login-user').fill('city.dispatcher');
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
    }
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 600_000 });
    const appMs = since();
    await page.waitForSelector('[data-map-state="ready"]', { timeout: 600_000 });
    const dataMs = since();
    await page.waitForSelector('[data-map-loaded="true"]', { timeout: 120_000 });
    const loadMs = since();
    await page.evaluate('window.gridMapDebug.idle()');
    const interactiveMs = since();
    // Where the time went, from the page's own marks (ms since navigation start).
    const marks = await page.evaluate<string>(
      `JSON.stringify([['dom', performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd], ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])])`,
    );
    console.log(
      `    marks: ${(JSON.parse(marks) as [string, number][]).map(([n, t]) => `${n} ${Math.round(t)}`).join(', ')}; interactive ${Math.round(interactiveMs)} since spawn`,
    );
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return { hostMs: host.readyAt - host.spawnedAt, appMs, dataMs, loadMs, interactiveMs };
  } finally {
    await page.close();
    await stopHost(host);
  }
}

/** The same start's data over the host's WebSocket: columnar snapshot against JSON rows. */
async function payloadBaseline(
  browser: Browser,
  dataRoot: string,
  serverUrl: string,
): Promise<{ columnar: { ms: number; bytes: number }; json: { ms: number; bytes: number } }> {
  const host = await startHost(dataRoot, serverUrl);
  const page = await browser.newPage();
  try {
    await page.goto(host.url);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 60_000 });
    const answer = await page.evaluate<string>(`(async () => {
      const ws = new WebSocket('ws://' + location.host + '/bridge');
      await new Promise((r) => (ws.onopen = r));
      let id = 1000;
      const call = (name, args) =>
        new Promise((done, fail) => {
          const my = id++;
          const t0 = performance.now();
          ws.onmessage = (m) => {
            const msg = JSON.parse(m.data);
            if (msg.t !== 'answer' || msg.id !== my) return;
            if (!msg.answer.ok) fail(new Error(name + ' failed'));
            done({ ms: performance.now() - t0, bytes: m.data.length });
          };
          ws.send(JSON.stringify({ t: 'call', id: my, name, args }));
        });
      const open = ['reported', 'registered', 'dispatched', 'handling', 'suspended', 'returned', 'feedback'];
      const ref = await call('map.reference', []);
      const rows = await call('cases.list', [{ states: open }]);
      const fixes = await call('map.positions', []);
      const snap = await call('map.snapshot', []);
      ws.close();
      const sum = (...xs) => ({ ms: xs.reduce((s, x) => s + x.ms, 0), bytes: xs.reduce((s, x) => s + x.bytes, 0) });
      return JSON.stringify({ columnar: sum(ref, snap), json: sum(ref, rows, fixes) });
    })()`);
    return JSON.parse(answer) as {
      columnar: { ms: number; bytes: number };
      json: { ms: number; bytes: number };
    };
  } finally {
    await page.close();
    await stopHost(host);
  }
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (ms: number): string => `${Math.round(ms).toLocaleString('en')} ms`;

function summary(label: string, runs: Run[]): number {
  const m = (k: keyof Run): number => med(runs.map((r) => r[k]));
  console.log(
    `${label}: interactive map in ${f(m('interactiveMs'))} median (best ${f(Math.min(...runs.map((r) => r.interactiveMs)))}, n=${runs.length}) — ` +
      `host up ${f(m('hostMs'))}, session resumed ${f(m('appMs'))}, map data ${f(m('dataMs'))}, maplibre load ${f(m('loadMs'))}`,
  );
  return m('interactiveMs');
}

async function main(): Promise<void> {
  buildRendererIfStale();
  const dataset = ensureDataset({}).dir;
  const serverDir = mkdtempSync(join(tmpdir(), 'gc-bench-cold-server-'));
  const dataRoot = mkdtempSync(join(tmpdir(), 'gc-bench-cold-console-'));
  const server = await startDispatchServer({
    dataDir: serverDir,
    datasetDir: dataset,
    port: 0,
    log: () => undefined,
  });
  const browser = await launchChromium();
  try {
    console.log(
      `# bench/cold-start — ${new Date().toISOString()}, node ${process.version}, city seat, Dongguan dataset`,
    );
    const t0 = performance.now();
    const first = await coldStart(browser, dataRoot, server.url, true);
    console.log(
      `first start (login, full city snapshot into an empty cache): interactive after ${f(first.interactiveMs)} (${((performance.now() - t0) / 1000) | 0} s wall)`,
    );
    const online: Run[] = [];
    for (let i = 0; i < RUNS; i++) online.push(await coldStart(browser, dataRoot, server.url, false));
    const onlineMs = summary('cold start from the cache, server up  ', online);
    const base = await payloadBaseline(browser, dataRoot, server.url);
    await server.close();
    const offline: Run[] = [];
    for (let i = 0; i < RUNS; i++) offline.push(await coldStart(browser, dataRoot, server.url, false));
    const offlineMs = summary('cold start from the cache, server down', offline);
    console.log(
      `start data over the WebSocket: reference + columnar map.snapshot ${f(base.columnar.ms)} / ${(base.columnar.bytes / 1e6).toFixed(1)} MB; ` +
        `reference + JSON rows (cases.list + map.positions) ${f(base.json.ms)} / ${(base.json.bytes / 1e6).toFixed(1)} MB; ` +
        `ratio ${(base.json.ms / base.columnar.ms).toFixed(1)}× time, ${(base.json.bytes / base.columnar.bytes).toFixed(1)}× bytes`,
    );
    const worst = Math.max(onlineMs, offlineMs);
    console.log(
      `target ≤ ${f(BUDGET_MS)} to an interactive map: ${worst <= BUDGET_MS ? 'PASS' : 'FAIL'} (${f(worst)})`,
    );
  } finally {
    await browser.close();
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(dataRoot, { recursive: true, force: true });
  }
}

await main();
