// Cold start to an interactive situation map from the local cache, in the web host, for the
// city seat of the full Dongguan dataset (~3,050 grids, 10,628 officers, 15,000 video points,
// ~78k open cases): budget ≤ 2 s (ARCHITECTURE.md). A fresh host process each run (module load,
// data worker, cache open + integrity check) — it stands for Electron's main start: its build
// (out/main/web-host.js) when fresh, as Electron runs its bundled main, else its source under
// tsx — and a page opened in an already running Chromium while the host starts (the browser's
// own start is Electron's or the operator's, not ours), navigated when the host answers; the
// clock starts at the host's spawn and stops when
// the map has drawn its first complete frame with every layer's data (maplibre `load`, then an
// idle frame after deck.gl got the snapshot). Runs online (server up, catch-up on connect) and
// offline (server gone). Baseline in the same run: the same start's data as JSON rows (the full
// case objects and reference lists the console shipped before the columnar map snapshot) over
// the same WebSocket, against the columnar `map.snapshot`.
// With --baseline <dir> (another checkout, built: e.g. `git worktree add /tmp/base 0330816 &&
// cd /tmp/base && ln -s $PWD/node_modules && npx electron-vite build`) the same starts run
// against that checkout's host and renderer too, interleaved run by run, and the split (the
// page's own marks) is printed side by side; --seats picks the seats (city, village).
// Run: npx tsx bench/cold-start.ts [--runs 3] [--baseline /tmp/base] [--seats city,village]
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { ensureDataset } from '../scripts/demo-data/index';
import { DEMO_PASSWORD } from '../src-server/dataset/import-dataset';
import { startDispatchServer } from '../src-server/server';
import { setup as buildRendererIfStale, newestMtime } from '../tests/e2e/global-setup';
import { launchChromium } from '../tests/e2e/support/browser';
import { epochNow, parseStartMarks } from '../src-main/app/start-marks';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    baseline: { type: 'string' },
    seats: { type: 'string', default: 'city' },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const ROOT = resolve(import.meta.dirname, '..');

/** A checkout whose host and built renderer are started: this one, and the baseline's. */
interface Variant {
  name: string;
  root: string;
}
const VARIANTS: Variant[] = [
  { name: 'this', root: ROOT },
  ...(values.baseline ? [{ name: 'base', root: resolve(values.baseline) }] : []),
];
const BUDGET_MS = 2_000;

interface Host {
  child: ChildProcess;
  url: string;
  /** Epoch ms (performance.timeOrigin + now) of the spawn: the host's and page's marks use it too. */
  spawnedAt: number;
  readyAt: number;
  /** Everything the host printed so far (its `[start-mark]` lines among it). */
  output: () => string;
}

/**
 * How a checkout's web host is started: its build (out/main/web-host.js, what `npm start` runs,
 * as Electron runs its bundled main) when it is newer than the sources, else the source under tsx
 * (checkouts before the host had a build, e.g. 0330816).
 */
function hostCommand(root: string): string[] {
  const built = resolve(root, 'out/main/web-host.js');
  const sources = Math.max(...['src-main', 'src-shared'].map((d) => newestMtime(resolve(root, d))));
  return existsSync(built) && statSync(built).mtimeMs >= sources
    ? [built]
    : ['--import', 'tsx', resolve(root, 'src-main/host/cli.ts')];
}

function startHost(dataRoot: string, serverUrl: string, root = ROOT): Promise<Host> {
  const spawnedAt = epochNow();
  const child = spawn(process.execPath, hostCommand(root), {
    cwd: root,
    env: {
      ...process.env,
      GRID_CONSOLE_DATA_DIR: dataRoot,
      GRID_CONSOLE_SERVER_URL: serverUrl,
      GRID_CONSOLE_NO_BROWSER: '1',
      GRID_CONSOLE_START_MARKS: '1',
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
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        done({ child, url: m[1], spawnedAt, readyAt: epochNow(), output: () => out });
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
  /** The host's, the worker's and the page's marks, ms since the host's spawn. */
  marks: Record<string, number>;
}

async function coldStart(
  browser: Browser,
  dataRoot: string,
  serverUrl: string,
  login: string | null,
  root = ROOT,
): Promise<Run> {
  // The window is opened while the host starts, as Electron's main opens its window while the
  // data worker starts (its renderer process spawns in parallel); the page navigates when the
  // host answers.
  const opening = browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const starting = startHost(dataRoot, serverUrl, root);
  const [hostOutcome, pageOutcome] = await Promise.allSettled([starting, opening]);
  if (hostOutcome.status === 'rejected' || pageOutcome.status === 'rejected') {
    if (pageOutcome.status === 'fulfilled') await pageOutcome.value.close();
    if (hostOutcome.status === 'fulfilled') await stopHost(hostOutcome.value);
    throw hostOutcome.status === 'rejected'
      ? hostOutcome.reason
      : (pageOutcome as PromiseRejectedResult).reason;
  }
  const host = hostOutcome.value;
  const page = pageOutcome.value;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const since = (): number => epochNow() - host.spawnedAt;
    const navAt = since();
    await page.goto(host.url);
    if (login) {
      await page.getByTestId('login-form').waitFor({ timeout: 60_000 });
      await page.getByTestId('login-user').fill(login);
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
      `JSON.stringify([['navigation', 0], ['dom', performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd], ['scripts', performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).reduce((m, r) => Math.max(m, r.responseEnd), 0)], ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]), ['interactive', performance.now()]])`,
    );
    // One clock: the page's marks (since its navigation) and the host's (epoch) since the spawn.
    const pageOrigin = await page.evaluate<number>('performance.timeOrigin');
    const list: [string, number][] = [
      ...parseStartMarks(host.output()).map(([n, at]): [string, number] => [n, at - host.spawnedAt]),
      ...(JSON.parse(marks) as [string, number][]).map(([n, t]): [string, number] => [
        n,
        pageOrigin + t - host.spawnedAt,
      ]),
    ].sort((a, b) => a[1] - b[1]);
    console.log(
      `    ${root === ROOT ? 'this' : 'base'}: ${list.map(([n, t]) => `${n} ${Math.round(t)}`).join(', ')}; interactive ${Math.round(interactiveMs)} since spawn (navigation asked at ${Math.round(navAt)})`,
    );
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return {
      hostMs: host.readyAt - host.spawnedAt,
      appMs,
      dataMs,
      loadMs,
      interactiveMs,
      marks: Object.fromEntries(list),
    };
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
  const m = (k: Exclude<keyof Run, 'marks'>): number => med(runs.map((r) => r[k]));
  console.log(
    `${label}: interactive map in ${f(m('interactiveMs'))} median (best ${f(Math.min(...runs.map((r) => r.interactiveMs)))}, n=${runs.length}) — ` +
      `host up ${f(m('hostMs'))}, session resumed ${f(m('appMs'))}, map data ${f(m('dataMs'))}, maplibre load ${f(m('loadMs'))}`,
  );
  return m('interactiveMs');
}

/**
 * Every mark (host, worker, page), median per variant, side by side, in the order of this
 * checkout's medians (ms since the host's spawn; Δ = since the previous mark of that variant).
 */
function splitTable(label: string, byVariant: Map<string, Run[]>): void {
  const names = [...byVariant.keys()];
  const medianOf = (n: string, mark: string): number | undefined => {
    const xs = byVariant
      .get(n)!
      .map((r) => r.marks[mark])
      .filter((x) => x !== undefined);
    return xs.length === 0 ? undefined : med(xs);
  };
  const all = [...new Set([...byVariant.values()].flat().flatMap((r) => Object.keys(r.marks)))];
  const order = (m: string): number => medianOf('this', m) ?? medianOf(names.at(-1)!, m) ?? Infinity;
  const split = all.sort((a, b) => order(a) - order(b));
  console.log(`  split, ${label} (median ms since the host's spawn; Δ = since the previous mark):`);
  console.log(`    ${'mark'.padEnd(24)}${names.map((n) => n.padStart(16)).join('')}`);
  const prev = new Map<string, number>();
  for (const mark of split) {
    const cells = names.map((n) => {
      const v = medianOf(n, mark);
      if (v === undefined) return '—'.padStart(16);
      const p = prev.get(n);
      prev.set(n, v);
      return `${Math.round(v)}${p === undefined ? '' : ` (+${Math.round(v - p)})`}`.padStart(16);
    });
    console.log(`    ${mark.padEnd(24)}${cells.join('')}`);
  }
}

/** JavaScript the renderer build emits: the entry chunk (what index.html loads) and every chunk. */
function bundleSizes(v: Variant): string {
  const dir = join(v.root, 'out/renderer/assets');
  const html = readFileSync(join(v.root, 'out/renderer/index.html'), 'utf8');
  const files = readdirSync(dir).filter((x) => x.endsWith('.js'));
  const size = (x: string): number => statSync(join(dir, x)).size;
  const entry = files.filter((x) => html.includes(x));
  const kb = (b: number): string => `${(b / 1024).toFixed(0)} kB`;
  const big = files
    .filter((x) => size(x) > 100 * 1024)
    .sort((a, b) => size(b) - size(a))
    .map((x) => `${x.replace(/-[\w-]{8}\.js$/, '')} ${kb(size(x))}`);
  return (
    `${v.name}: entry ${entry.map((x) => `${x} ${kb(size(x))}`).join(' + ')}; all JS ${kb(files.reduce((n, x) => n + size(x), 0))} in ${files.length} chunks; ` +
    `chunks over 100 kB: ${big.join(', ')}`
  );
}

/** A village seat: the first village of the dataset (its operator logs in). */
function villageLogin(datasetDir: string): string {
  const divisions = JSON.parse(readFileSync(join(datasetDir, 'divisions.json'), 'utf8')) as {
    villages: { code: string }[];
  };
  return `${divisions.villages[0].code}.operator`;
}

async function main(): Promise<void> {
  buildRendererIfStale();
  const dataset = ensureDataset({}).dir;
  const seats = values.seats.split(',').map((x) => x.trim());
  const logins: Record<string, string> = { city: 'city.dispatcher', village: villageLogin(dataset) };
  const serverDir = mkdtempSync(join(tmpdir(), 'gc-bench-cold-server-'));
  const roots: string[] = [];
  const dataRootOf = new Map<string, string>();
  for (const seat of seats)
    for (const v of VARIANTS) {
      const dir = mkdtempSync(join(tmpdir(), `gc-bench-cold-${seat}-${v.name}-`));
      roots.push(dir);
      dataRootOf.set(`${seat}/${v.name}`, dir);
    }
  const server = await startDispatchServer({
    dataDir: serverDir,
    datasetDir: dataset,
    port: 0,
    log: () => undefined,
  });
  const browser = await launchChromium();
  const worst: number[] = [];
  try {
    console.log(
      `# bench/cold-start — ${new Date().toISOString()}, node ${process.version}, seats ${seats.join(', ')}, Dongguan dataset, ${VARIANTS.map((v) => `${v.name} = ${v.root}`).join(', ')}`,
    );
    for (const v of VARIANTS) console.log(`  bundle ${bundleSizes(v)}`);
    const online = new Map<string, Map<string, Run[]>>();
    for (const seat of seats) {
      const bySeat = new Map<string, Run[]>(VARIANTS.map((v) => [v.name, []]));
      online.set(seat, bySeat);
      for (const v of VARIANTS) {
        const t0 = performance.now();
        const first = await coldStart(
          browser,
          dataRootOf.get(`${seat}/${v.name}`)!,
          server.url,
          logins[seat],
          v.root,
        );
        console.log(
          `${seat} seat, ${v.name}: first start (login ${logins[seat]}, snapshot into an empty cache): interactive after ${f(first.interactiveMs)} (${((performance.now() - t0) / 1000) | 0} s wall)`,
        );
      }
      // Interleaved, so a busy moment of the machine falls on both.
      for (let i = 0; i < RUNS; i++)
        for (const v of VARIANTS)
          bySeat
            .get(v.name)!
            .push(await coldStart(browser, dataRootOf.get(`${seat}/${v.name}`)!, server.url, null, v.root));
      for (const v of VARIANTS) {
        const ms = summary(
          `${seat} seat, ${v.name}: cold start from the cache, server up  `,
          bySeat.get(v.name)!,
        );
        if (v.name === 'this') worst.push(ms);
      }
      splitTable(`${seat} seat, server up`, bySeat);
    }
    const base = seats.includes('city')
      ? await payloadBaseline(browser, dataRootOf.get('city/this')!, server.url)
      : null;
    await server.close();
    for (const seat of seats) {
      const bySeat = new Map<string, Run[]>(VARIANTS.map((v) => [v.name, []]));
      for (let i = 0; i < RUNS; i++)
        for (const v of VARIANTS)
          bySeat
            .get(v.name)!
            .push(await coldStart(browser, dataRootOf.get(`${seat}/${v.name}`)!, server.url, null, v.root));
      for (const v of VARIANTS) {
        const ms = summary(
          `${seat} seat, ${v.name}: cold start from the cache, server down`,
          bySeat.get(v.name)!,
        );
        if (v.name === 'this') worst.push(ms);
      }
      splitTable(`${seat} seat, server down`, bySeat);
    }
    if (base)
      console.log(
        `start data over the WebSocket: reference + columnar map.snapshot ${f(base.columnar.ms)} / ${(base.columnar.bytes / 1e6).toFixed(1)} MB; ` +
          `reference + JSON rows (cases.list + map.positions) ${f(base.json.ms)} / ${(base.json.bytes / 1e6).toFixed(1)} MB; ` +
          `ratio ${(base.json.ms / base.columnar.ms).toFixed(1)}× time, ${(base.json.bytes / base.columnar.bytes).toFixed(1)}× bytes`,
      );
    const w = Math.max(...worst);
    console.log(
      `target ≤ ${f(BUDGET_MS)} to an interactive map (this checkout, since the host's spawn): ${w <= BUDGET_MS ? 'PASS' : 'FAIL'} (${f(w)})`,
    );
  } finally {
    await browser.close();
    rmSync(serverDir, { recursive: true, force: true });
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  }
}

await main();
