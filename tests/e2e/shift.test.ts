// A dispatcher's shift in Chromium through the web host against a real dispatch server (issue
// 18): the video wall tab follows a case selected in the same window (#2); Alt+1…5 work from a
// search box and `?` lists five views (#10); a one-click dispatch can be undone in its window
// and only the second one reaches the server (#11); the link goes down: a banner says since
// when, a queued dispatch says 已排队 (#8); the seat hands over and logs out, a reload does not
// reopen it, another seat logs in on the same workstation and sees the handover note (#3).
// (Screenshots of every view in both languages: views-tour.test.ts.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import type { Command } from '../../src-shared/protocol/commands';
import type { Camera, Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe("a dispatcher's shift in Chromium", () => {
  let t: TestServer;
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  let area: ReturnType<typeof pickArea>;
  let camera: Camera;
  let emergencyId = '';
  const logs: string[] = [];

  const caseOf = (id: string): Case | null => {
    const row = t.server.db.prepare('SELECT json FROM cases WHERE id = ?').get(id) as
      { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  };
  const exec = (
    userId: string,
    type: Command['type'],
    payload: Record<string, unknown>,
    baseVersion: number | null,
  ) =>
    t.server.execute(userId, `e2e-${userId}`, {
      commandId: uuidv7(),
      clientId: `e2e-${userId}`,
      type,
      payload,
      baseVersion,
      clientTime: Date.now(),
    } as Command);
  /** A citizen's report right beside the chosen camera, verified by the town: ready to dispatch. */
  const registered = (): string => {
    const id = `SH-${uuidv7().slice(-10)}`;
    const point: [number, number] = [camera.lon + 0.0002, camera.lat + 0.0001];
    expect(exec('U-citizen', 'report', reportPayload(id, point, { source: 'citizen' }), null).status).toBe(
      'accepted',
    );
    const dispatcher = t.server.seats.byUserName(`${area.townCode}.dispatcher`)!.id;
    expect(exec(dispatcher, 'verify', { caseId: id }, 1).status).toBe('accepted');
    return id;
  };
  const dispatchEvents = (id: string): number =>
    (
      t.server.db
        .prepare("SELECT count(*) AS n FROM events WHERE case_id = ? AND type = 'case.dispatched'")
        .get(id) as { n: number }
    ).n;
  const row = (id: string) => page.locator(`[data-testid="desk-row"][data-case-id="${id}"]`);
  const openCase = async (id: string): Promise<void> => {
    await page.getByTestId('desk-search').fill(id);
    await row(id).click({ timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId('desk-detail').getAttribute('data-case-id'), { timeout: 15_000 })
      .toBe(id);
  };
  const login = async (user: string): Promise<void> => {
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await page.getByTestId('login-user').fill(user);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('[data-app-state="ready"]');
    try {
      await page
        .getByTestId('connection-status')
        .filter({ hasText: /在线|Online/ })
        .waitFor({ timeout: 30_000 });
    } catch (e) {
      await page.screenshot({ path: artifactPath('shift-login-failed.png') });
      console.log('DEBUG', await page.locator('body').innerText());
      throw e;
    }
  };
  const view = async (key: string, ready: string): Promise<void> => {
    await page.keyboard.press(key);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
  };

  beforeAll(async () => {
    t = await startTestServer();
    area = pickArea(t.server, 3);
    const cams = (
      t.server.db.prepare('SELECT json FROM cameras WHERE town_code = ?').all(area.townCode) as {
        json: string;
      }[]
    )
      .map((r) => JSON.parse(r.json) as Camera)
      .filter((c) => c.online);
    if (cams.length === 0) throw new Error(`town ${area.townCode} has no online camera`);
    camera = cams[0];
    host = await startWebHost({
      rootDir: ROOT,
      serverUrl: t.server.url,
      dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-shift-')),
    });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1600, height: 900 },
      locale: 'zh-CN',
      reducedMotion: 'reduce',
    });
    page = await context.newPage();
    page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && logs.push(`[console] ${m.text()}`));
    await page.goto(host.url);
    await login(`${area.townCode}.dispatcher`);
  }, 120_000);

  afterAll(async () => {
    if (logs.length) console.log(logs.join('\n'));
    await browser?.close();
    await host?.stop();
    await t?.dispose();
  });

  it('lists five views under ? and switches views with Alt+digit from inside a search box (#10)', async () => {
    await view('Alt+2', '[data-desk-state="ready"]');
    await page.getByTestId('desk-search').blur();
    await page.keyboard.press('?');
    expect(await page.getByTestId('shortcut-help').textContent()).toContain('Alt+1 至 Alt+5');
    await page.keyboard.press('Escape');
    await page.getByTestId('desk-search').focus();
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('nav-map').getAttribute('aria-selected')).toBe('true');
    await page
      .getByTestId('map-search')
      .locator('input')
      .first()
      .focus()
      .catch(() => undefined);
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.getByTestId('nav-cases').getAttribute('aria-selected')).toBe('true');
  });

  it('fills the video wall tab with the cameras of a case selected in the same window (#2)', async () => {
    const id = registered();
    await view('Alt+2', '[data-desk-state="ready"]');
    await openCase(id);
    await page.keyboard.press('Alt+3');
    await page.getByTestId('video-wall').waitFor();
    await expect
      .poll(() => page.getByTestId('video-target').textContent(), { timeout: 15_000 })
      .toContain(caseOf(id)!.number!); // named by its number, not the id
    await expect
      .poll(() => page.locator(`[data-testid="video-tile"][data-camera-id="${camera.id}"]`).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await page.screenshot({ path: artifactPath('shift-video-same-window.png') });
  });

  it('holds a one-click dispatch for its undo window: 撤销 takes it back, the next one is sent (#11)', async () => {
    const id = registered();
    await view('Alt+2', '[data-desk-state="ready"]');
    await openCase(id);
    await page.getByTestId('recommend-row').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('desk-search').blur();
    await page.keyboard.press('1');
    const toast = page.getByTestId('undo-toast');
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.textContent()).toMatch(/已排队，\d 秒后发送/);
    await page.screenshot({ path: artifactPath('shift-undo-toast.png') });
    await page.getByTestId('undo-button').click();
    await toast.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('desk-flash').textContent()).toContain('已撤销');
    await expect.poll(() => row(id).getAttribute('data-state')).toBe('registered');
    await expect
      .poll(() => page.getByTestId('status-queue').getAttribute('data-n'), { timeout: 15_000 })
      .toBe('0');
    // Ctrl+Z does the same.
    await expect
      .poll(() => page.getByTestId('recommend-row').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.keyboard.press('1');
    await toast.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+z');
    await toast.waitFor({ state: 'detached' });
    await expect.poll(() => row(id).getAttribute('data-state')).toBe('registered');
    // The withdrawn dispatch has left the outbox before the next key (a loaded machine is slow).
    await expect
      .poll(() => page.getByTestId('status-queue').getAttribute('data-n'), { timeout: 15_000 })
      .toBe('0');
    // A dispatch left alone is sent when its window ends; the undone ones never reached the server.
    await expect
      .poll(() => page.getByTestId('recommend-row').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.keyboard.press('1');
    await toast.waitFor({ timeout: 10_000 });
    await expect.poll(() => caseOf(id)?.state, { timeout: 20_000 }).toBe('dispatched');
    expect(dispatchEvents(id)).toBe(1);
  }, 60_000);

  it('says the link is down and since when; a queued dispatch reads 已排队, not 已提交 (#8)', async () => {
    const id = registered();
    await view('Alt+2', '[data-desk-state="ready"]');
    await openCase(id);
    await page.getByTestId('recommend-row').first().waitFor({ timeout: 15_000 });
    await t.stop();
    await expect
      .poll(() => page.getByTestId('connection-status').textContent(), { timeout: 30_000 })
      .toBe('离线');
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/连接已断开（自 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    // Officer statuses in the recommendation are marked as possibly stale.
    await expect.poll(() => page.getByTestId('recommend-stale').textContent()).toContain('可能已过时');
    await page.getByTestId('desk-search').blur();
    await page.keyboard.press('1');
    const flash = page.getByTestId('desk-flash');
    await expect.poll(() => flash.textContent()).toContain('已排队');
    expect(await flash.textContent()).not.toContain('已提交');
    expect(await flash.getAttribute('class')).not.toContain('ok');
    expect(await page.getByTestId('undo-toast').textContent()).toContain('待恢复连接后发送');
    await page.screenshot({ path: artifactPath('shift-offline-banner.png') });
    await t.start();
    await expect
      .poll(() => page.getByTestId('connection-status').textContent(), { timeout: 30_000 })
      .toBe('在线');
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => caseOf(id)?.state, { timeout: 20_000 }).toBe('dispatched');
  }, 90_000);

  it('raises an alert for a 特急 case: counted in the header, acknowledged by this seat (feature)', async () => {
    emergencyId = `SH-E-${uuidv7().slice(-8)}`;
    const point: [number, number] = [camera.lon + 0.0003, camera.lat];
    expect(
      exec(
        'U-citizen',
        'report',
        reportPayload(emergencyId, point, { source: 'citizen', priority: 'emergency' }),
        null,
      ).status,
    ).toBe('accepted');
    const count = page.getByTestId('alerts-count');
    await expect
      .poll(async () => Number(await count.getAttribute('data-count')), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await count.textContent()).toMatch(/告警 \d+/);
    await count.click();
    const rowOf = page.locator(`[data-testid="alert-row"][data-case-id="${emergencyId}"]`);
    await rowOf.waitFor({ timeout: 10_000 });
    expect(await rowOf.textContent()).toContain('特急事件');
    await page.screenshot({ path: artifactPath('shift-alerts-open.png') });
    await rowOf.getByTestId('alert-ack').click();
    await expect.poll(() => rowOf.getAttribute('data-acked'), { timeout: 10_000 }).toBe('true');
    const me = t.server.seats.byUserName(`${area.townCode}.dispatcher`)!;
    expect(await rowOf.getByTestId('alert-acked-by').textContent()).toContain(me.displayName);
    // The server holds the acknowledgement (who), not this window.
    expect(t.server.alerts.get(`emergency:${emergencyId}`)?.ackBy).toBe(me.id);
    await count.click();
  });

  it('hands over and logs out; a reload does not reopen the seat; another seat logs in and reads the note (#3)', async () => {
    await page.getByTestId('logout').click();
    const dialog = page.getByTestId('shift-dialog');
    await dialog.waitFor();
    await expect
      .poll(() => page.getByTestId('shift-held').textContent())
      .toContain(`${area.townCode}.dispatcher`);
    await expect
      .poll(() => page.getByTestId('shift-open-items').locator('li[data-item]').count())
      .toBeGreaterThan(0);
    const note = '横沥 3 件占道经营待核查；城管已到场。';
    await page.getByTestId('shift-note').fill(note);
    await page.screenshot({ path: artifactPath('shift-handover-dialog.png') });
    await page.getByTestId('shift-confirm').click();
    await page.getByTestId('login-form').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('last-handover-note').textContent()).toBe(note);
    await page.reload();
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('seat-name').textContent()).toBe('东莞市');
    expect(await page.getByTestId('last-handover').textContent()).toContain(`${area.townCode}.dispatcher`);
    await page.screenshot({ path: artifactPath('shift-login-after-handover.png') });
    const next = `${area.townCode}.leader`;
    await login(next);
    await expect
      .poll(() => page.getByTestId('seat-name').textContent(), { timeout: 20_000 })
      .toBe(t.server.seats.byUserName(next)!.displayName);
    // The second seat sees the 特急 alert already acknowledged, and by whom.
    await page.getByTestId('alerts-count').click();
    const rowOf = page.locator(`[data-testid="alert-row"][data-case-id="${emergencyId}"]`);
    await rowOf.waitFor({ timeout: 15_000 });
    expect(await rowOf.getAttribute('data-acked')).toBe('true');
    expect(await rowOf.getByTestId('alert-acked-by').textContent()).toContain(
      t.server.seats.byUserName(`${area.townCode}.dispatcher`)!.displayName,
    );
    await page.screenshot({ path: artifactPath('shift-alerts-second-seat.png') });
  }, 90_000);
});
