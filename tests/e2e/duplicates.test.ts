// 一事多报 in Chromium (issue 18, "must show: a duplicate report is proposed and merged"): two
// citizens report the same blocked fire lane a few metres and minutes apart; the town dispatcher's
// desk marks the newer report 疑似重复, proposes it as the older case with the distance and the
// gap, merges it with a reason (the command goes through the console's outbox to the server),
// the primary shows the merged report with its photo, and the merge is undone again.
// Screenshots: test-results/e2e/duplicates-*.png. The same desk's officer board (队员看板):
// every officer of the town with status, fix age and cases, filtered, and one key (o) dispatching
// the open case to the chosen officer; screenshots officer-board-{zh,en}.png at 1600×900.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { loginSeat, openConsolePage, openDesk, type ConsolePage } from './support/console-page';
import { artifactPath } from './support/paths';

describe('duplicate reports and the officer board on the desk', () => {
  let t: TestServer;
  let con: ConsolePage;
  let page: Page;
  let area: ReturnType<typeof pickArea>;

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
    con = await openConsolePage({ serverUrl: t.server.url, dirPrefix: 'gc-e2e-dup-' });
    page = con.page;
    await loginSeat(page, `${area.townCode}.dispatcher`);
    await openDesk(page);
  });

  afterAll(async () => {
    await con?.close();
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
    expect(text).toMatch(/相距 2[0-3] 米，上报时间相差不到 1 分钟/);
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
    await expect
      .poll(() => page.getByTestId('dup-status').getAttribute('data-done'), { timeout: 15_000 })
      .toBe('true');
    expect(await page.getByTestId('dup-status').textContent()).toContain('已确认');
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

  it('lists every officer of the town on the board and dispatches the open case to the chosen one with o', async () => {
    const s = t.server;
    const mine = [...s.ref.officers.values()].filter(
      (o) => o.townCode === area.townCode || o.townCode === null,
    );
    const [a, b] = area.a.officers;
    const now = Date.now();
    // Phones report: a handling, b on duty; a third officer's only fix is 20 minutes old.
    const stale = mine.find((o) => o.id !== a.id && o.id !== b.id && o.kind === 'grid')!;
    for (const [o, status, at] of [
      [a, 'handling', now],
      [b, 'on_duty', now],
      [stale, 'patrol', now - 20 * 60_000],
    ] as const)
      s.telemetry.report({
        officerId: o.id,
        status,
        lon: area.a.point[0],
        lat: area.a.point[1],
        heading: null,
        at,
      });
    // A citizen's report, not yet verified: the board says it must be verified first.
    const id = `BOARD-${uuidv7().slice(-10)}`;
    citizenReport(id, area.a.point, '占道经营');

    await page.getByTestId('desk-search').fill(caseOf(id).number!);
    await row(id).click();
    await expect.poll(detailId, { timeout: 15_000 }).toBe(id);
    await page.keyboard.press('Shift+O');
    const board = page.getByTestId('officer-board');
    await board.waitFor();
    await expect.poll(() => board.getByTestId('board-cannot').getAttribute('data-state')).toBe('reported');
    expect(await board.getByTestId('board-cannot').textContent()).toContain('先核实立案');
    expect(await board.getByTestId('board-dispatch').count()).toBe(0);
    // Verified by the town (registered, waiting for dispatch): the board offers the dispatch.
    const town = s.seats.byUserName(`${area.townCode}.dispatcher`)!.id;
    const verified = s.execute(town, 'e2e-town', {
      commandId: uuidv7(),
      clientId: 'e2e-town',
      type: 'verify',
      payload: { caseId: id },
      baseVersion: 1,
      clientTime: Date.now(),
    });
    expect(verified.status).toBe('accepted');
    await board.getByTestId('board-dispatch').waitFor({ timeout: 15_000 });
    expect(await board.getByTestId('board-cannot').count()).toBe(0);
    const rows = board.getByTestId('board-row');
    // Every officer of the seat's scope, no one else (rows render the first 300).
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(Math.min(300, mine.length));
    const rowOf = (o: { id: string }) =>
      board.locator(`[data-testid="board-row"][data-officer-id="${o.id}"]`);
    await expect.poll(() => rowOf(a).getAttribute('data-status'), { timeout: 15_000 }).toBe('handling');
    expect(await rowOf(b).getAttribute('data-status')).toBe('on_duty');
    // An officer whose phone sent nothing recent is never shown as available.
    expect(await rowOf(stale).getAttribute('data-status')).not.toBe('patrol');
    expect(await rowOf(b).textContent()).toMatch(/138-0769-\d{4}/);
    // Filters: 可派 shows b (on duty, fresh, no case) and not a (handling) or the stale one.
    await board.getByTestId('board-filter-status').selectOption('free');
    await expect.poll(() => rowOf(b).count()).toBe(1);
    expect(await rowOf(a).count()).toBe(0);
    expect(await rowOf(stale).count()).toBe(0);
    // 定位过时/无定位: everyone but a and b (no fresh fix reached this console).
    await board.getByTestId('board-filter-status').selectOption('stale');
    await expect.poll(() => rows.count()).toBe(Math.min(300, mine.length - 2));
    expect(await rowOf(stale).count()).toBe(1);
    expect(await rowOf(a).count()).toBe(0);
    await board.getByTestId('board-filter-status').selectOption('');
    await board.getByTestId('board-search').fill(b.number);
    await expect.poll(() => rows.count()).toBe(1);
    await rowOf(b).click();
    await page.screenshot({ path: artifactPath('officer-board-zh.png') });

    // o: the open case goes to b (through the undo window and the outbox).
    await page.keyboard.press('o');
    await expect.poll(() => caseOf(id).assignee, { timeout: 20_000 }).toEqual({ kind: 'officer', id: b.id });
    await expect.poll(() => rowOf(b).getAttribute('data-cases'), { timeout: 15_000 }).toBe('1');

    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => board.locator('h2').textContent()).toContain('Officer board');
    await page.screenshot({ path: artifactPath('officer-board-en.png') });
    await page.getByTestId('lang-toggle').click();
  });
});
