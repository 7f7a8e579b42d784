// The multi-window workstation in Chromium through the web host (issue 7), against a real
// dispatch server: the case desk opens the map wall and the video wall as browser windows of the
// same session; selecting a case in the desk flies the map wall there and fills the video wall
// with the cameras nearest to it; the tiles really play the server's demo streams (HLS and MP4:
// currentTime advances); a snapshot of a tile lands in the case's timeline (server and desk).
// The server runs as `npm start` runs it: a child process on scripts/server.ts under tsx (issue
// 18: an in-process server hid that the video encoder failed to load on that path).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import type { Camera, CaseEvent } from '../../src-shared/protocol/entities';
import { distanceM } from '../../src-shared/desk/recommend';
import { uuidv7 } from '../../src-shared/util/ids';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { reportPayload } from '../support/fixtures';
import { ensureSmallDataset } from '../support/datasets';
import { connectConsole, login } from '../support/server-client';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe('video wall and multi-window workstation through the web host', () => {
  let t: ServerProcess;
  let serverDataDir: string;
  let host: StartedHost;
  let browser: Browser;
  let context: BrowserContext;
  let desk: Page;
  let mapWall: Page;
  let videoWall: Page;
  let townCode: string;
  let caseId: string;
  let casePoint: [number, number];
  let townCameras: Camera[];
  const logs: string[] = [];

  const watch = (page: Page, name: string): void => {
    page.on('pageerror', (e) => logs.push(`[pageerror ${name}] ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && logs.push(`[console ${name}] ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && logs.push(`[http ${name}] ${r.status()} ${r.url()}`));
  };
  const nearest = (n: number): Camera[] =>
    [...townCameras]
      .map((c) => ({ c, d: distanceM(casePoint[0], casePoint[1], c.lon, c.lat) }))
      .filter((x) => x.d <= 5_000)
      .sort((a, b) => a.d - b.d)
      .slice(0, n)
      .map((x) => x.c);
  const openWindow = async (kind: string): Promise<Page> => {
    const [page] = await Promise.all([
      context.waitForEvent('page'),
      desk.getByTestId(`open-window-${kind}`).click(),
    ]);
    watch(page, kind);
    await page.waitForLoadState('domcontentloaded');
    await page.setViewportSize({ width: 1100, height: 720 });
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
    return page;
  };
  /** Pretends the window is minimised/shown (Page Visibility API) and tells the page. */
  const setVisibility = (page: Page, state: 'hidden' | 'visible'): Promise<void> =>
    page.evaluate(
      `Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });` +
        `document.dispatchEvent(new Event('visibilitychange'));`,
    );
  const tileTime = (page: Page, cameraId: string): Promise<number> =>
    page
      .locator(`[data-testid="video-tile"][data-camera-id="${cameraId}"] video`)
      .evaluate((v) => (v as unknown as { currentTime: number }).currentTime);

  beforeAll(async () => {
    // The server runs as scripts/start.mjs starts it; the town's dispatcher takes a hotline
    // call and reports the case over its own socket, like a console does.
    serverDataDir = mkdtempSync(join(tmpdir(), 'gc-e2e-video-server-'));
    t = await startServerProcess({ dataDir: serverDataDir, datasetDir: ensureSmallDataset() });
    // A town with a cluster of online cameras: the case is reported right beside one of them.
    const rows = t.readDb().prepare('SELECT json, town_code FROM cameras').all() as {
      json: string;
      town_code: string;
    }[];
    const byTown = new Map<string, Camera[]>();
    for (const r of rows) {
      const list = byTown.get(r.town_code) ?? [];
      list.push(JSON.parse(r.json) as Camera);
      byTown.set(r.town_code, list);
    }
    let best: { town: string; camera: Camera; n: number } | null = null;
    for (const [town, list] of byTown)
      for (const c of list) {
        if (!c.online) continue;
        const n = list.filter((o) => o.online && distanceM(c.lon, c.lat, o.lon, o.lat) < 1_500).length;
        if (!best || n > best.n) best = { town, camera: c, n };
      }
    if (!best) throw new Error('the test dataset has no online camera');
    townCode = best.town;
    townCameras = byTown.get(townCode)!;
    casePoint = [best.camera.lon + 0.0002, best.camera.lat + 0.0001];
    caseId = `E2E-${uuidv7().slice(-12)}`;
    const reporter = await connectConsole(t, await login(t, `${townCode}.dispatcher`));
    const answer = await reporter.command('report', reportPayload(caseId, casePoint));
    reporter.close();
    expect(answer.ok && (answer.data as { status: string }).status).toBe('accepted');

    host = await startWebHost({
      rootDir: ROOT,
      serverUrl: t.url,
      dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-video-')),
    });
    browser = await launchChromium();
    // One browser context = one browser profile: the windows share the host's session cookie.
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
    });
    desk = await context.newPage();
    watch(desk, 'desk');
  }, 240_000);

  afterAll(async () => {
    if (logs.length) console.log(logs.join('\n'));
    await browser?.close();
    await host?.stop();
    await t?.stop();
    if (serverDataDir) rmSync(serverDataDir, { recursive: true, force: true });
  });

  it('stream requests need the seat: the server wants a bearer token, the host proxy a logged-in seat', async () => {
    const online = townCameras.find((c) => c.online)!;
    expect((await fetch(`${t.url}/live/${online.id}/index.m3u8`)).status).toBe(401);
    // Through the console host's media proxy the token stays on the main side.
    const cookie = `gc_session=${host.host.token}`;
    const viaHost = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${host.host.origin}${path}`, { headers: { cookie, ...headers } });
    // Not logged in yet: the worker has no token to use.
    expect((await viaHost(`/media/live/${online.id}/index.m3u8`)).status).toBe(401);
  });

  it('opens the map wall and the video wall from the case desk; a selection there moves both', async () => {
    await desk.goto(host.url);
    await desk.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await desk.getByTestId('login-user').fill(`${townCode}.dispatcher`);
    await desk.getByTestId('login-password').fill(DEMO_PASSWORD);
    await desk.getByTestId('login-submit').click();
    await desk.waitForSelector('[data-app-state="ready"]');
    await desk.getByTestId('connection-status').filter({ hasText: '在线' }).waitFor({ timeout: 30_000 });
    await desk.keyboard.press('Alt+2');
    await desk.waitForSelector('[data-desk-state="ready"]', { timeout: 30_000 });

    // The media proxy now answers with the seat's token (held by the data worker).
    const cookie = `gc_session=${host.host.token}`;
    const online = nearest(4).find((c) => c.online)!;
    const playlist = await fetch(`${host.host.origin}/media/live/${online.id}/index.m3u8`, {
      headers: { cookie },
    });
    expect(playlist.status, await playlist.clone().text()).toBe(200);
    expect(await playlist.text()).toContain('#EXT-X-MAP:URI="init.mp4"');
    const ranged = await fetch(`${host.host.origin}/media/live/${online.id}/stream.mp4`, {
      headers: { cookie, range: 'bytes=0-99' },
    });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    const offline = townCameras.find((c) => !c.online);
    if (offline)
      expect(
        (await fetch(`${host.host.origin}/media/live/${offline.id}/index.m3u8`, { headers: { cookie } }))
          .status,
      ).toBe(503);

    mapWall = await openWindow('map');
    expect(await mapWall.getByTestId('app-shell').getAttribute('data-window')).toBe('map');
    await mapWall.waitForSelector('[data-map-loaded="true"]', { timeout: 60_000 });
    videoWall = await openWindow('video');
    expect(await videoWall.getByTestId('app-shell').getAttribute('data-window')).toBe('video');
    await videoWall.getByTestId('video-wall').waitFor();
    const before = await mapWall.evaluate<[number, number]>('window.gridMapDebug.center()');
    expect(distanceM(before[0], before[1], casePoint[0], casePoint[1])).toBeGreaterThan(200);

    // Select the case in the desk (filter the virtualised queue to it, click its row).
    await desk.bringToFront();
    await desk.getByTestId('desk-search').fill(caseId);
    await desk.locator(`[data-testid="desk-row"][data-case-id="${caseId}"]`).click();
    await expect
      .poll(() => desk.getByTestId('desk-detail').getAttribute('data-case-id'), { timeout: 15_000 })
      .toBe(caseId);

    // The map wall flew there.
    await expect
      .poll(
        async () => {
          const c = await mapWall.evaluate<[number, number]>('window.gridMapDebug.center()');
          return Math.round(distanceM(c[0], c[1], casePoint[0], casePoint[1]));
        },
        { timeout: 20_000 },
      )
      .toBeLessThan(60);

    // The video wall shows the 4 cameras nearest to the case, in order.
    const want = nearest(4).map((c) => c.id);
    expect(want.length).toBeGreaterThan(1);
    await expect
      .poll(
        () =>
          videoWall
            .getByTestId('video-tile')
            .evaluateAll((els) =>
              els.map((e) => (e as unknown as { dataset: { cameraId?: string } }).dataset.cameraId ?? null),
            ),
        {
          timeout: 15_000,
        },
      )
      .toEqual([...want, ...Array<string>(4 - want.length).fill('')]);
    // named by its human number, not the id (issue 18)
    const row = t.readDb().prepare('SELECT json FROM cases WHERE id = ?').get(caseId) as { json: string };
    const number = (JSON.parse(row.json) as { number: string }).number;
    expect(number).toMatch(/^DG\d{8}-\d{3}-\d{4,}$/);
    await expect.poll(() => videoWall.getByTestId('video-target').textContent()).toContain(number);
    expect(await videoWall.getByTestId('video-target').textContent()).not.toContain(caseId);
  }, 180_000);

  it('plays HLS and MP4 in the tiles (currentTime advances), offline cameras say so', async () => {
    await videoWall.bringToFront();
    const first = nearest(4).find((c) => c.online)!;
    const tile = videoWall.locator(`[data-testid="video-tile"][data-camera-id="${first.id}"]`);
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    const t0 = await tileTime(videoWall, first.id);
    await expect.poll(() => tileTime(videoWall, first.id), { timeout: 10_000 }).toBeGreaterThan(t0 + 0.5);
    for (const c of nearest(4))
      await expect
        .poll(
          () =>
            videoWall
              .locator(`[data-testid="video-tile"][data-camera-id="${c.id}"]`)
              .getAttribute('data-state'),
          {
            timeout: 30_000,
          },
        )
        .toBe(c.online ? 'playing' : 'offline');
    await videoWall.screenshot({ path: artifactPath('video-wall-hls.png') });

    // MP4 through the same proxy (byte ranges pass through).
    await videoWall.getByTestId('video-format').selectOption('mp4');
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    const t1 = await tileTime(videoWall, first.id);
    await expect.poll(() => tileTime(videoWall, first.id), { timeout: 10_000 }).toBeGreaterThan(t1 + 0.5);

    // A hidden window stops its streams: tiles detach (no src) and no media request follows.
    const mediaRequests: string[] = [];
    videoWall.on('request', (r) => r.url().includes('/media/') && mediaRequests.push(r.url()));
    await setVisibility(videoWall, 'hidden');
    await expect
      .poll(() =>
        videoWall
          .getByTestId('video-tile')
          .evaluateAll((els) =>
            els.map((e) => (e as unknown as { dataset: { state?: string } }).dataset.state),
          ),
      )
      .toEqual(nearest(4).map((c) => (c.online ? 'paused' : 'offline')));
    // Detached: no src, and the element loads nothing (networkState NETWORK_EMPTY = 0).
    const media = await videoWall.locator('[data-testid="video-tile"] video').evaluateAll((els) =>
      els.map((v) => {
        const m = v as unknown as { networkState: number; hasAttribute(n: string): boolean };
        return `${m.hasAttribute('src') ? 'src' : 'none'}/${m.networkState}`;
      }),
    );
    expect(media).toEqual(nearest(4).map(() => 'none/0'));
    const quiet = mediaRequests.length;
    await videoWall.waitForTimeout(2_500);
    expect(mediaRequests.length).toBe(quiet);
    await setVisibility(videoWall, 'visible');
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    // (Shown again it plays; Chromium may serve the small clip from its media cache.)

    // Layout keys: 1 then 6 = 16 tiles; 9 tiles; then 1 (focused tile enlarged by Enter), back to 4.
    await videoWall.keyboard.press('1');
    await videoWall.keyboard.press('6');
    await expect.poll(() => videoWall.getByTestId('video-tile').count()).toBe(16);
    await videoWall.screenshot({ path: artifactPath('video-wall-16.png') });
    await videoWall.keyboard.press('9');
    await expect.poll(() => videoWall.getByTestId('video-tile').count()).toBe(9);
    await videoWall.keyboard.press('4');
    await videoWall.keyboard.press('Enter');
    await expect.poll(() => videoWall.getByTestId('video-tile').count()).toBe(1);
    await videoWall.keyboard.press('Escape');
    await expect.poll(() => videoWall.getByTestId('video-tile').count()).toBe(4);

    // A camera picked in the wall's panel goes into the focused tile and the map wall flies to it.
    const far = nearest(4)
      .filter((c) => c.online)
      .slice(-1)[0];
    await videoWall.locator(`[data-testid="camera-item"][data-camera-id="${far.id}"]`).click();
    await expect
      .poll(
        async () => {
          const c = await mapWall.evaluate<[number, number]>('window.gridMapDebug.center()');
          return Math.round(distanceM(c[0], c[1], far.lon, far.lat));
        },
        { timeout: 20_000 },
      )
      .toBeLessThan(30);
    expect(await videoWall.getByTestId('video-tile').first().getAttribute('data-camera-id')).toBe(far.id);
  }, 120_000);

  it('a snapshot of a tile lands in the case timeline (server and desk)', async () => {
    // The first tile (the camera picked in the panel above), focused by a click.
    const tile = videoWall.getByTestId('video-tile').first();
    await tile.click();
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 30_000 }).toBe('playing');
    await videoWall.getByTestId('video-snapshot').click();
    await expect
      .poll(() => videoWall.getByTestId('video-snapshot-status').getAttribute('data-state'), {
        timeout: 20_000,
      })
      .toBe('done');
    // On the server: a case.photo_added event whose photo is a stored JPEG.
    const photoEvent = (): CaseEvent | undefined => {
      const rows = t
        .readDb()
        .prepare("SELECT json FROM events WHERE case_id = ? AND type = 'case.photo_added'")
        .all(caseId) as { json: string }[];
      return rows.map((r) => JSON.parse(r.json) as CaseEvent)[0];
    };
    await expect.poll(() => photoEvent() !== undefined, { timeout: 20_000 }).toBe(true);
    const event = photoEvent()!;
    const hash = JSON.stringify(event.payload).match(/[0-9a-f]{64}/)?.[0];
    expect(hash).toBeDefined();
    const mime = t.readDb().prepare('SELECT mime FROM photos WHERE hash = ?').get(hash) as
      { mime: string } | undefined;
    expect(mime?.mime).toBe('image/jpeg');
    const stored = readFileSync(join(serverDataDir, 'photos', hash!.slice(0, 2), hash!));
    expect(stored.length).toBeGreaterThan(2_000);
    expect(stored.subarray(0, 2).toString('hex')).toBe('ffd8');
    // In the desk's timeline.
    await desk.bringToFront();
    await expect
      .poll(() => desk.locator('[data-testid="desk-event"][data-type="case.photo_added"]').count(), {
        timeout: 20_000,
      })
      .toBe(1);
    await videoWall.screenshot({ path: artifactPath('video-wall-snapshot.png') });
    await desk.screenshot({ path: artifactPath('window-desk.png') });
    await mapWall.screenshot({ path: artifactPath('window-map.png') });
  }, 90_000);

  it('the briefing window opens as its own kind', async () => {
    const briefing = await openWindow('briefing');
    expect(await briefing.getByTestId('app-shell').getAttribute('data-window')).toBe('briefing');
    await briefing.getByTestId('briefing-report').waitFor({ timeout: 60_000 });
    await briefing.screenshot({ path: artifactPath('window-briefing.png') });
    expect(logs.filter((l) => l.includes('pageerror'))).toEqual([]);
  }, 60_000);
});
