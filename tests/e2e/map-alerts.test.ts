// Alerts on the situation map (issue 18), in Chromium through the web host against a real
// dispatch server: an unacknowledged alert — a 特急 case, an officer's SOS — is drawn as a red
// ring (its own layer, counted in the legend) at the case or the officer; clicking the ring opens
// the case (by its human number) or the officer; acknowledging the alert in the header's feed
// takes it off the map. Screenshots: test-results/e2e/map-alerts-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Command } from '../../src-shared/protocol/commands';
import type { GridMapDebug } from '../../src-shared/map/debug-hook';
import { ALERT_RING } from '../../src-shared/map/palette';
import { uuidv7 } from '../../src-shared/util/ids';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { countColors } from './map-pixels';
import { debugCall } from './support/map-debug';
import { loginSeat, openConsolePage, type ConsolePage } from './support/console-page';
import { artifactPath } from './support/paths';

describe('alerts on the situation map', () => {
  let t: TestServer;
  let con: ConsolePage;
  let page: Page;
  let area: ReturnType<typeof pickArea>;

  const debug = <K extends keyof GridMapDebug>(name: K, ...args: Parameters<GridMapDebug[K]>) =>
    debugCall(page, name, ...args);
  const canvas = () => page.getByTestId('map-canvas');
  const shot = async (name: string): Promise<Buffer> => {
    await debug('idle');
    return canvas().screenshot({ path: artifactPath(`map-alerts-${name}.png`) });
  };
  /** The drawn alert about a case or an officer, with its screen position. */
  const drawn = async (about: { caseId?: string; officerId?: string }) =>
    (await debug('alerts')).find((a) =>
      about.caseId ? a.caseId === about.caseId : a.officerId === about.officerId,
    ) ?? null;
  const redAround = async (name: string, x: number, y: number): Promise<number> =>
    countColors(await shot(name), { ring: ALERT_RING }, { tol: 0, around: { x, y, r: 18 } }).ring;
  const clickMap = async (x: number, y: number): Promise<void> => {
    const box = (await canvas().boundingBox())!;
    await page.mouse.click(box.x + x, box.y + y);
  };
  const ack = async (selector: string): Promise<void> => {
    await page.getByTestId('alerts-count').click();
    const row = page.locator(`[data-testid="alert-row"]${selector}`);
    await row.getByTestId('alert-ack').click();
    await expect.poll(() => row.getAttribute('data-acked'), { timeout: 10_000 }).toBe('true');
    await page.getByTestId('alerts-count').click();
  };

  beforeAll(async () => {
    t = await startTestServer();
    area = pickArea(t.server, 2);
    // Reduced motion: the steady ring alone, so its pixels are exactly the alert colour.
    con = await openConsolePage({
      serverUrl: t.server.url,
      dirPrefix: 'gc-e2e-map-alerts-',
      reducedMotion: 'reduce',
    });
    page = con.page;
    await loginSeat(page, `${area.townCode}.dispatcher`);
    await page.keyboard.press('Alt+1');
    await page.locator('[data-map-loaded="true"]').waitFor({ timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await con?.close();
    await t?.dispose();
  });

  it('rings a 特急 case until its alert is acknowledged; clicking the ring opens the case by its number', async () => {
    const id = `AL-${uuidv7().slice(-10)}`;
    const point = area.a.point;
    const answer = t.server.execute('U-citizen', 'citizen-app', {
      commandId: uuidv7(),
      clientId: 'citizen-app',
      type: 'report',
      payload: reportPayload(id, point, { source: 'citizen', priority: 'emergency' }),
      baseVersion: null,
      clientTime: Date.now(),
    } as Command);
    expect(answer.status).toBe('accepted');
    const number = t.server.commands.store.get(id)!.number!;

    await expect.poll(() => drawn({ caseId: id }), { timeout: 20_000 }).not.toBeNull();
    await page.getByTestId('map-canvas').hover({ position: { x: 5, y: 5 } });
    const [x, y] = await debug('project', point[0], point[1]);
    const ring = (await drawn({ caseId: id }))!;
    expect(Math.hypot(ring.x - x, ring.y - y)).toBeLessThan(1);
    expect(await debug('visibleLayers')).toContain('alerts');
    expect(await debug('visibleLayers')).not.toContain('alerts-pulse'); // reduced motion
    // A ring of the alert colour around the case (radius 13 px, 3 px wide ≈ 220 pixels).
    expect(await redAround('case-ringed', x, y)).toBeGreaterThan(100);
    expect(Number(await page.getByTestId('legend-alerts').getAttribute('data-count'))).toBeGreaterThanOrEqual(
      1,
    );
    expect(await page.getByTestId('legend-alerts').textContent()).toContain('未确认告警');
    await page.screenshot({ path: artifactPath('map-alerts-page.png') });

    // Clicking the ring opens the case, named by its number.
    await clickMap(x, y);
    await page.getByTestId('card-case').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('card-title').textContent()).toContain(number);
    // The feed names it by its number too, never by the id.
    await page.getByTestId('alerts-count').click();
    const row = page.locator(`[data-testid="alert-row"][data-case-id="${id}"]`);
    await expect.poll(() => row.getByTestId('alert-show').textContent(), { timeout: 10_000 }).toBe(number);
    await page.getByTestId('alerts-count').click();
    await page.getByTestId('card-close').click();

    // Acknowledged: off the map.
    await ack(`[data-case-id="${id}"]`);
    await expect.poll(() => drawn({ caseId: id }), { timeout: 15_000 }).toBeNull();
    expect(await redAround('case-acknowledged', x, y)).toBe(0);
  }, 120_000);

  it('rings an officer who pressed SOS; clicking the ring opens the officer', async () => {
    const officer = area.b.officers[0];
    const [lon, lat] = area.b.point;
    expect(
      t.server.telemetry.report({
        officerId: officer.id,
        status: 'sos',
        lon,
        lat,
        heading: null,
        at: Date.now(),
      }),
    ).toBe(true);
    await expect.poll(() => drawn({ officerId: officer.id }), { timeout: 20_000 }).not.toBeNull();
    await page.getByTestId('map-canvas').hover({ position: { x: 5, y: 5 } });
    const [x, y] = await debug('project', lon, lat);
    // drawn where the officer is now (the fix that carried the SOS)
    const offBy = async (): Promise<number> => {
      const r = await drawn({ officerId: officer.id });
      return r ? Math.hypot(r.x - x, r.y - y) : Number.POSITIVE_INFINITY;
    };
    await expect.poll(offBy, { timeout: 10_000 }).toBeLessThan(1);
    expect(await redAround('sos-ringed', x, y)).toBeGreaterThan(100);
    await clickMap(x, y);
    await page.getByTestId('card-officer').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('card-title').textContent()).toContain(officer.name);
    await page.getByTestId('card-close').click();
    await ack(`[data-alert-id^="sos:${officer.id}:"]`);
    await expect.poll(() => drawn({ officerId: officer.id }), { timeout: 15_000 }).toBeNull();
  }, 120_000);
});
