// 督办 across two seats (issue 17), in Chromium through two web hosts against one real dispatch
// server: the city dispatcher issues a 督办 on a town's case from its desk (s, note, submit) — a
// 市督 to the town; the town dispatcher finds it in its supervision list (Shift+S), opens the
// case, sees the order and answers it; the town's weekly briefing shows it in the 督办情况 section
// (issued, answered in time). Screenshots: test-results/e2e/supervision-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { weekOfMs } from '../../src-shared/briefing/weeks';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { pointInGrid, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { launchChromium } from './support/browser';
import { artifactPath } from './support/paths';
import { openSeatDesk, type SeatPage } from './support/seat-page';

describe('a 市督 issued by the city reaches the town desk and its briefing', () => {
  let t: TestServer;
  let browser: Browser;
  let city: SeatPage;
  let town: SeatPage;
  let target: Case;

  const caseOf = (id: string): Case => t.server.commands.store.get(id)!;
  const exec = (userId: string, type: Command['type'], payload: Record<string, unknown>): void => {
    const answer = t.server.execute(userId, `e2e-${userId}`, {
      commandId: uuidv7(),
      clientId: `e2e-${userId}`,
      type,
      payload,
      baseVersion: caseOf(payload.caseId as string).version,
      clientTime: Date.now(),
    } as Command);
    if (answer.status !== 'accepted') throw new Error(`${type}: ${answer.reason}`);
  };
  /** A new case of the target's grid, verified and dispatched to a department, returned with approval. */
  const returnedThisWeek = (): void => {
    const handler = [...t.server.ref.officers.values()].find((o) => o.kind === 'department')!;
    const handlerUser = t.server.seats.byOfficerId(handler.id)!.id;
    const id = `DQ${uuidv7().slice(-10)}`;
    const desk = `U-${target.villageCode}-operator`;
    const reported = t.server.execute(desk, 'e2e-desk', {
      commandId: uuidv7(),
      clientId: 'e2e-desk',
      type: 'report',
      payload: reportPayload(id, pointInGrid(t.server, target.gridCode)),
      baseVersion: null,
      clientTime: Date.now(),
    } as Command);
    expect(reported.status).toBe('accepted');
    exec(desk, 'verify', { caseId: id });
    exec(desk, 'dispatch', { caseId: id, assignee: { kind: 'department', id: handler.departmentCode } });
    exec(handlerUser, 'requestReturn', { caseId: id, reason: '不属于本部门职责' });
    exec(`U-${target.townCode}-leader`, 'approveRequest', { caseId: id });
    expect(caseOf(id)).toMatchObject({ state: 'returned', returnCount: 1 });
  };

  beforeAll(async () => {
    t = await startTestServer();
    // An open case in hand, held by a village (the 市督 supervises its town).
    const row = t.server.db
      .prepare(
        "SELECT json FROM cases WHERE state = 'handling' AND length(holder_code) = 12 ORDER BY id LIMIT 1",
      )
      .get() as { json: string } | undefined;
    if (!row) throw new Error('the small dataset has no village-held case in handling');
    target = JSON.parse(row.json) as Case;
    browser = await launchChromium();
    city = await openSeatDesk(browser, t.server.url, 'city.dispatcher');
    town = await openSeatDesk(browser, t.server.url, `${target.townCode}.dispatcher`);
  });

  afterAll(async () => {
    const logs = [...(city?.logs ?? []), ...(town?.logs ?? [])];
    if (logs.length > 0) console.log(logs.slice(0, 40).join('\n'));
    await city?.close();
    await town?.close();
    await browser?.close();
    await t?.dispose();
  });

  it('city issues on its desk, the town answers from its supervision list, the briefing counts it', async () => {
    const id = target.id;
    // ---- city: s on the case, a note, submit ----
    const cp = city.page;
    await cp.getByTestId('desk-search').fill(id);
    const cityRow = cp.locator(`[data-testid="desk-row"][data-case-id="${id}"]`);
    await expect.poll(() => cityRow.count(), { timeout: 20_000 }).toBe(1);
    await cityRow.click();
    await expect
      .poll(() => cp.getByTestId('desk-detail').getAttribute('data-case-id'), { timeout: 15_000 })
      .toBe(id);
    await cp.getByTestId('desk-search').blur();
    await cp.keyboard.press('s');
    await cp.getByTestId('desk-action-dialog').waitFor();
    await cp.getByTestId('action-note').fill('群众多次投诉，请镇街今日内处置并回复');
    await cp.getByTestId('action-submit').click();
    await expect.poll(() => caseOf(id).supervisions?.length ?? 0, { timeout: 20_000 }).toBe(1);
    const order = caseOf(id).supervisions![0];
    expect(order).toMatchObject({
      level: 'city',
      targetCode: target.townCode,
      issuedBy: 'U-city-dispatcher',
      status: 'open',
    });
    // The city's own card shows the order it issued, with 催办 (not answer).
    await cp.getByTestId('sup-card').waitFor({ timeout: 15_000 });
    expect(await cp.getByTestId('sup-remind-send').count()).toBe(1);
    expect(await cp.getByTestId('sup-answer-send').count()).toBe(0);

    // ---- town: Shift+S, the 市督 in 待回复, open it, answer ----
    const tp = town.page;
    await expect
      .poll(() => tp.getByTestId('sup-toggle-count').textContent(), { timeout: 30_000 })
      .not.toBe('0');
    await tp.keyboard.press('Shift+S');
    const item = tp.locator(`[data-testid="sup-item"][data-case-id="${id}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.getAttribute('data-level')).toBe('city');
    expect(await item.textContent()).toContain('市督 S1');
    expect(await tp.getByTestId('sup-count-waiting').textContent()).toBe('1');
    await item.getByRole('button').click();
    await expect
      .poll(() => tp.getByTestId('desk-detail').getAttribute('data-case-id'), { timeout: 15_000 })
      .toBe(id);
    const card = tp.getByTestId('sup-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('群众多次投诉');
    await tp.screenshot({ path: artifactPath('supervision-1-town-desk.png') });
    // The desk figures carry 准确派遣率 for today and this week.
    expect(await tp.getByTestId('desk-figure-week-accurateDispatchRate').textContent()).toMatch(
      /准确派遣率 (—|\d+\.\d%)/,
    );
    await tp.getByTestId('sup-answer-text').fill('已约谈业主，通道已清理，附整改照片');
    await tp.getByTestId('sup-answer-send').click();
    await expect.poll(() => caseOf(id).supervisions![0].status, { timeout: 20_000 }).toBe('answered');
    expect(caseOf(id).supervisions![0].answer).toMatchObject({ byId: `U-${target.townCode}-dispatcher` });
    await tp.getByTestId('sup-filter-done').click();
    await expect.poll(() => tp.getByTestId('sup-count-done').textContent(), { timeout: 15_000 }).toBe('1');
    // The timeline names both steps.
    await expect
      .poll(async () => (await tp.getByTestId('desk-event').allTextContents()).join('\n'), {
        timeout: 15_000,
      })
      .toContain('回复督办');
    const timeline = (await tp.getByTestId('desk-event').allTextContents()).join('\n');
    expect(timeline).toContain('市督 S1');
    await tp.screenshot({ path: artifactPath('supervision-2-town-answered.png') });

    // ---- the town's briefing, this week: 督办情况 ----
    await tp.getByTestId('nav-briefing').click();
    await tp
      .getByTestId('briefing-report')
      .waitFor({ timeout: 120_000 })
      .catch(async (e: unknown) => {
        await tp.screenshot({ path: artifactPath('supervision-x-briefing-failed.png') });
        throw e;
      });
    await tp.getByTestId('briefing-week').selectOption(String(weekOfMs(Date.now())));
    const section = tp.getByTestId('briefing-section-supervision');
    const line = section.locator(`[data-testid="briefing-supervision-row"][data-town="${target.townCode}"]`);
    await line.waitFor({ timeout: 60_000 });
    expect(await line.locator('[data-col="issued"]').textContent()).toBe('1');
    expect(await line.locator('[data-col="cityIssued"]').textContent()).toBe('1');
    expect(await line.locator('[data-col="answeredInTime"]').textContent()).toBe('1');
    expect(await line.locator('[data-col="lapsed"]').textContent()).toBe('0');
    expect(await line.locator('[data-col="rate"]').textContent()).toBe('100.0%');
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: artifactPath('supervision-3-briefing-section.png') });
    // 准确派遣率: a registered case of the town dispatched to a department this week, returned
    // by its handler with the town leader's approval → the town's line: 1 dispatch, 1 return, 0.0%.
    const dispatch = tp.getByTestId('briefing-section-dispatch');
    const dispatchLine = dispatch.locator(
      `[data-testid="briefing-dispatch-row"][data-town="${target.townCode}"]`,
    );
    expect(await dispatchLine.count()).toBe(0);
    returnedThisWeek();
    await tp.getByTestId('briefing-week').selectOption(String(weekOfMs(Date.now()) - 1));
    await tp.getByTestId('briefing-week').selectOption(String(weekOfMs(Date.now())));
    await dispatchLine.waitFor({ timeout: 60_000 });
    // The line may be drawn from the dispatch before the return reaches the console: wait on it.
    await expect
      .poll(() => dispatchLine.locator('[data-col="returned"]').textContent(), { timeout: 30_000 })
      .toBe('1');
    expect(await dispatchLine.locator('[data-col="assignments"]').textContent()).toBe('1');
    expect(await dispatchLine.locator('[data-col="rate"]').textContent()).toBe('0.0%');
    await dispatch.scrollIntoViewIfNeeded();
    await dispatch.screenshot({ path: artifactPath('supervision-4-briefing-dispatch.png') });
    // The same in English: the desk's supervision list and the case's order.
    await tp.getByTestId('lang-toggle').click();
    await tp.getByTestId('nav-cases').click();
    await tp.waitForSelector('[data-desk-state="ready"]', { timeout: 60_000 });
    await tp.getByTestId('sup-toggle').click();
    await tp.getByTestId('sup-filter-all').click();
    await tp.locator(`[data-testid="sup-item"][data-case-id="${id}"]`).getByRole('button').click();
    await expect
      .poll(() => tp.getByTestId('sup-card').textContent(), { timeout: 15_000 })
      .toContain('City order S1');
    await tp.screenshot({ path: artifactPath('supervision-5-town-desk-en.png') });
  });
});
