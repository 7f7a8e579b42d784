// 一事多报 in Chromium (issue 18, "must show: a duplicate report is proposed and merged"): two
// citizens report the same blocked fire lane a few metres and minutes apart; the town dispatcher's
// desk marks the newer report 疑似重复, proposes it as the older case with the distance and the
// gap, merges it with a reason (the command goes through the console's outbox to the server),
// the primary shows the merged report with its photo, and the merge is undone again.
// Screenshots: test-results/e2e/duplicates-*.png.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe('duplicate reports on the desk (一事多报)', () => {
  let t: TestServer;
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  let area: ReturnType<typeof pickArea>;
  const logs: string[] = [];

  const caseOf = (id: string): Case => t.server.commands.store.get(id)!;
  const citizenReport = (id: string, point: [number, number], description: string): string => {
    const photo = t.server.photos.put(renderScenePhoto(id, 'before'), 'image/png', 'U-citizen');
    if (!photo.ok) throw new Error(photo.error.message);
    const answer = t.server.execute('U-citizen', 'citizen-app', {
      commandId: uuidv7(),
      clientId: 'citizen-app',
      type: 'report',
      payload: reportPayload(id, point, { source: 'citizen', description, photos: [photo.data.hash] }),
      baseVersion: null,
      clientTime: Date.now(),
    } as Command);
    expect(answer.status).toBe('accepted');
    return id;
  };
  const row = (id: string) => page.locator(`[data-testid="desk-row"][data-case-id="${id}"]`);
  const detailId = () => page.getByTestId('desk-detail').getAttribute('data-case-id');

  beforeAll(async () => {
    t = await startTestServer();
    area = pickArea(t.server, 1);
    host = await startWebHost({
      rootDir: ROOT,
      serverUrl: t.server.url,
      dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-dup-')),
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && logs.push(`[console] ${m.text()}`));
    await page.goto(host.url);
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await page.getByTestId('login-user').fill(`${area.townCode}.dispatcher`);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('[data-app-state="ready"]');
    await page.getByTestId('connection-status').filter({ hasText: '在线' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Alt+2');
    await page.waitForSelector('[data-desk-state="ready"]', { timeout: 30_000 });
  });

  afterAll(async () => {
    if (logs.length > 0) console.log(logs.slice(0, 40).join('\n'));
    await browser?.close();
    await host?.stop();
    await t?.dispose();
  });

  it('proposes the newer report as a duplicate of the older, merges it with a reason, and un-merges it', async () => {
    const [lon, lat] = area.a.point;
    const first = citizenReport(`DUP-A-${uuidv7().slice(-10)}`, [lon, lat], '消防通道被电动车堵住');
    // 0.0002° north ≈ 22 m: the same spot, reported by a second citizen a moment later.
    const second = citizenReport(`DUP-B-${uuidv7().slice(-10)}`, [lon, lat + 0.0002], '楼下消防通道堵塞');
    const primaryNo = caseOf(first).number!;
    const dupNo = caseOf(second).number!;

    // The newer row carries the badge, the older does not; the header counts the proposal.
    await page.getByTestId('desk-search').fill(primaryNo.slice(0, -4));
    await row(second).waitFor({ timeout: 20_000 });
    await row(first).waitFor();
    await expect
      .poll(() => row(second).getByTestId('desk-row-duplicate').count(), { timeout: 15_000 })
      .toBe(1);
    expect(await row(first).getByTestId('desk-row-duplicate').count()).toBe(0);
    expect(Number(await page.getByTestId('dup-count').textContent())).toBeGreaterThanOrEqual(1);

    // Opening the newer report shows the proposal: the older case's number, metres and minutes.
    await row(second).click();
    await expect.poll(detailId, { timeout: 15_000 }).toBe(second);
    const proposal = page.getByTestId('dup-proposal');
    await proposal.waitFor();
    expect(await proposal.getAttribute('data-primary-id')).toBe(first);
    const text = (await proposal.textContent()) ?? '';
    expect(text).toContain(primaryNo);
    expect(text).toMatch(/相距 2[0-3] 米/);
    await page.getByTestId('dup-list-toggle').click();
    await expect
      .poll(() => page.locator(`[data-testid="dup-list-item"][data-case-id="${second}"]`).count())
      .toBe(1);
    await page.screenshot({ path: artifactPath('duplicates-1-proposed-zh.png') });

    // Merge with a reason (Shift+M from the reason box).
    await page.getByTestId('dup-reason').fill('同一处消防通道堵塞，两位群众先后反映');
    await page.getByTestId('dup-reason').press('Shift+M');
    await expect.poll(() => caseOf(second).state, { timeout: 15_000 }).toBe('voided');
    expect(caseOf(second).mergedInto).toBe(primaryNo);
    expect(caseOf(first).mergedFrom?.map((m) => [m.number, m.reporterId])).toEqual([[dupNo, 'U-citizen']]);
    // The merged report leaves the queue; its detail stays open and says where it went.
    await expect.poll(() => row(second).count(), { timeout: 15_000 }).toBe(0);
    await expect
      .poll(() => page.getByTestId('dup-merged-into').textContent(), { timeout: 15_000 })
      .toContain(primaryNo);
    await page.screenshot({ path: artifactPath('duplicates-2-merged-zh.png') });

    // Un-merge it from there: both cases are as before, the badge is back on the newer row.
    await page.getByTestId('dup-unmerge-reason').fill('核实为两处不同的通道');
    await page.getByTestId('dup-unmerge').click();
    await expect.poll(() => caseOf(second).state, { timeout: 15_000 }).toBe('reported');
    expect(caseOf(first).mergedFrom).toEqual([]);
    await expect
      .poll(() => row(second).getByTestId('desk-row-duplicate').count(), { timeout: 15_000 })
      .toBe(1);

    // Merge again, then open the primary: it keeps the duplicate's report and photo, and its
    // timeline tells the whole story.
    await row(second).click();
    await page.getByTestId('dup-merge').click();
    await expect.poll(() => caseOf(second).state, { timeout: 15_000 }).toBe('voided');
    await row(first).click();
    await expect.poll(detailId, { timeout: 15_000 }).toBe(first);
    const merged = page.getByTestId('dup-merged-report');
    await expect.poll(() => merged.count(), { timeout: 15_000 }).toBe(1);
    expect(await merged.textContent()).toContain(dupNo);
    await expect
      .poll(() => merged.getByTestId('desk-photo').first().getAttribute('data-loaded'), { timeout: 15_000 })
      .toBe('true');
    await expect
      .poll(
        async () =>
          Promise.all(
            (await page.locator('[data-testid="desk-event"]').all()).map((e) => e.getAttribute('data-type')),
          ),
        { timeout: 15_000 },
      )
      .toEqual([
        'case.reported',
        'case.duplicate_merged',
        'case.duplicate_unmerged',
        'case.duplicate_merged',
      ]);
    await page.screenshot({ path: artifactPath('duplicates-3-primary-zh.png') });
  });
});
