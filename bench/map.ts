// Situation map: main-thread JS cost of one 10,000-officer position update through the binary
// path (typed arrays → binary attributes) against two naive paths in the same run (an object
// array rebuilt and handed to the same deck.gl layers; a maplibre GeoJSON source re-set), with
// ~3,000 grids, 10,000 officers, 15,000 video points and 30,000 open cases loaded; the frame
// time while panning; and the frame time with 1,000,000 managed places shown.
//
// Chromium (Debian's, through playwright-core) opens the built renderer's map-bench.html from a
// static server that sends the app's CSP; the page builds the synthetic city itself and times
// everything in-page (see src-renderer/src/map/bench/bench-main.ts).
// Run: npm run bench -- map   [--viewport=1280x800]
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../src-main/app/security';
import { setup as buildRendererIfStale } from '../tests/e2e/global-setup';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../tests/e2e/support/browser';

const TARGET_UPDATE_MS = 5;
const TARGET_RATIO = 10;
const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(ROOT, 'out/renderer');
const arg = process.argv.find((a) => a.startsWith('--viewport='))?.slice('--viewport='.length) ?? '1280x800';
const [width, height] = arg.split('x').map(Number);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

interface Stats {
  median: number;
  p25: number;
  p95: number;
  min: number;
  max: number;
  n: number;
}
interface Rounds {
  zoom: number;
  binary: { update: Stats; receive: Stats; write: Stats; props: Stats; deck: Stats };
  naive: { update: Stats; receive: Stats };
}
interface Result {
  userAgent: string;
  viewport: [number, number, number];
  gcBetweenSteps: boolean;
  counts: Record<string, number>;
  setup: { generateMs: number; engineMs: number };
  baseFrame: Stats;
  city: Rounds;
  town: Rounds;
  binaryDrawn: Stats;
  wireDecode: Stats;
  wireDecodeObjects: Stats;
  geojson: { update: Stats; drawn: Stats };
  pan: { city: { js: Stats; full: Stats }; town: { js: Stats; full: Stats } };
  places: {
    count: number;
    loadMs: number;
    visible: boolean;
    pan: { js: Stats; full: Stats };
    panWithout: { js: Stats; full: Stats };
  };
}

const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const line = (label: string, s: Stats): string =>
  `${label.padEnd(46)} median ${ms(s.median).padStart(9)}  min ${ms(s.min).padStart(9)}  p25 ${ms(s.p25).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  (n=${s.n})`;

async function main(): Promise<void> {
  buildRendererIfStale();
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(OUT, path === '/' ? 'map-bench.html' : path);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!file.startsWith(OUT) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The e2e flags (tests/e2e/support/browser.ts) plus a collectable heap, so each timed step
  // starts without the previous step's garbage.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=gl-egl',
      '--ignore-gpu-blocklist',
      '--js-flags=--expose-gc',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width, height }, reducedMotion: 'reduce' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text()))
        problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${origin}/map-bench.html`);
    await page.waitForSelector('#map[data-bench="ready"]', { timeout: 120_000 });
    const r = await page.evaluate<Result>('window.mapBench.run()');

    const ratio = (x: Rounds): number => x.naive.update.median / x.binary.update.median;
    const rounds = (title: string, x: Rounds): string[] => [
      `${title} (zoom ${x.zoom.toFixed(1)}):`,
      line('  binary path (typed arrays, binary attributes)', x.binary.update),
      line('    receive: structured clone of the batch', x.binary.receive),
      line('    typed-array writes', x.binary.write),
      line('    layer props (builders) + setProps', x.binary.props),
      line('    deck.gl layer update + buffer uploads', x.binary.deck),
      line('  naive: fixes as objects, array rebuilt', x.naive.update),
      line('    receive: structured clone of the fixes', x.naive.receive),
      `  ratio naive/binary ${ratio(x).toFixed(1)}× (medians; same deck.gl layers, paths alternating)`,
    ];
    const out = [
      `Chromium ${/Chrome\/([\d.]+)/.exec(r.userAgent)?.[1] ?? '?'} (software WebGL through Mesa), viewport ${r.viewport[0]}×${r.viewport[1]} @${r.viewport[2]}x`,
      `garbage collected between timed steps: ${r.gcBetweenSteps}`,
      `loaded: ${r.counts.grids} grids (${r.counts.villages} villages, ${r.counts.towns} towns), ${r.counts.officers} officers, ${r.counts.cameras} video points, ${r.counts.cases} open cases`,
      `synthetic city generated in ${ms(r.setup.generateMs)}; engine (map + layers) created in ${ms(r.setup.engineMs)}`,
      '',
      'one 10,000-officer position update, main-thread JS (message in → deck.gl attributes on the GPU, no frame):',
      ...rounds('whole city on screen', r.city),
      ...rounds('town scale, heading arrows shown', r.town),
      line('GeoJSON FeatureCollection + setData (main thread)', r.geojson.update),
      "  (its tiling runs in maplibre's worker; wall time until the new positions are drawn:)",
      line('  GeoJSON setData → drawn', r.geojson.drawn),
      line('  binary update → drawn (two animation frames)', r.binaryDrawn),
      line('web host: JSON + base64 decode of a batch', r.wireDecode),
      line('web host: JSON decode of the same fixes as objects', r.wireDecodeObjects),
      '',
      'frames (JS = maplibre synchronous redraw incl. deck.gl; full = the same + gl.finish(), i.e. with software rasterisation):',
      line('  still frame, whole city', r.baseFrame),
      line('  panning the whole city, JS per frame', r.pan.city.js),
      line('  panning the whole city, full frame', r.pan.city.full),
      line('  panning at town scale, JS per frame', r.pan.town.js),
      line('  panning at town scale, full frame', r.pan.town.full),
      '',
      `1,000,000 managed places: columns → deck.gl attributes on the GPU in ${ms(r.places.loadMs)} (shown at zoom 15.5: ${r.places.visible})`,
      line('  panning with places shown, JS per frame', r.places.pan.js),
      line('  panning with places shown, full frame', r.places.pan.full),
      line('  same view, places hidden, JS per frame', r.places.panWithout.js),
      line('  same view, places hidden, full frame', r.places.panWithout.full),
      '',
      ...[r.city, r.town].flatMap((x) => [
        `target one update ≤ ${TARGET_UPDATE_MS} ms at zoom ${x.zoom.toFixed(1)}: ${x.binary.update.median <= TARGET_UPDATE_MS ? 'PASS' : 'FAIL'} (${ms(x.binary.update.median)} median)`,
        `target ≥ ${TARGET_RATIO}× faster than naive at zoom ${x.zoom.toFixed(1)}: ${ratio(x) >= TARGET_RATIO ? 'PASS' : 'FAIL'} (${ratio(x).toFixed(1)}×)`,
      ]),
      problems.length > 0
        ? `page problems: ${problems.slice(0, 5).join(' | ')}`
        : 'no CSP violations or page errors',
    ];
    console.log(out.join('\n'));
    await page.evaluate('window.mapBench.showPlaces()');
    const shot = resolve(ROOT, 'test-results/bench-map-places.png');
    await page.screenshot({ path: shot });
    console.log(`screenshot of the 1,000,000-place view: ${shot}`);
    const missed = [r.city, r.town].some(
      (x) => x.binary.update.median > TARGET_UPDATE_MS || ratio(x) < TARGET_RATIO,
    );
    if (missed || problems.length > 0) process.exitCode = 1;
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
