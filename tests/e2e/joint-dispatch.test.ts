// Handling units and joint handling 联合执法 on the desk (issue 17 §3), in Chromium through a web
// host against a real dispatch server. The town dispatcher opens a 群租隔断 report (town level in
// the 权责清单): the dispatch form offers its town departments (住建办 recommended) and city
// bureaus — no village committee as lead, none of another town — and, for 联合执法, the case's
// village committee among the co-units but not another village's. The joint dispatch reaches the
// server with the lead and co-units; the lead's handler signs, the co-unit's is refused; the
// desk detail and the timeline name lead and co-units with who, seat and time. Screenshots:
// test-results/e2e/joint-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { townUnitCode, villageCommitteeCode } from '../../src-shared/domain/handling-units';
import { uuidv7 } from '../../src-shared/util/ids';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';
import { loginSeat, openConsolePage, openDesk, type ConsolePage } from './support/console-page';
import { artifactPath } from './support/paths';

describe('joint dispatch 联合执法 on the desk', () => {
  let t: TestServer;
  let con: ConsolePage;
  let page: Page;
  let area: ReturnType<typeof pickArea>;

  const caseOf = (id: string): Case => t.server.commands.store.get(id)!;
  const exec = (userId: string, type: Command['type'], payload: Record<string, unknown>) =>
    t.server.execute(userId, `e2e-${userId}`, {
      commandId: uuidv7(),
      clientId: `e2e-${userId}`,
      type,
      payload,
      baseVersion: type === 'report' ? null : caseOf(payload.caseId as string).version,
      clientTime: Date.now(),
    } as Command);
  const row = (id: string) => page.locator(`[data-testid="desk-row"][data-case-id="${id}"]`);
  const detail = () => page.getByTestId('desk-detail');
  const shot = (name: string) => page.screenshot({ path: artifactPath(`joint-${name}.png`) });

  beforeAll(async () => {
    t = await startTestServer();
    area = pickArea(t.server, 1);
    con = await openConsolePage({
      serverUrl: t.server.url,
      dirPrefix: 'gc-e2e-joint-',
      viewport: { width: 1400, height: 900 },
    });
    page = con.page;
    await loginSeat(page, `${area.townCode}.dispatcher`);
    await openDesk(page);
  });

  afterAll(async () => {
    await con?.close();
    await t?.dispose();
  });

  it('offers the 权责清单’s units, dispatches jointly, and shows lead and co-units on the detail and timeline', async () => {
    const townSeat = t.server.seats.byUserName(`${area.townCode}.dispatcher`)!;
    const id = `JD${uuidv7().slice(-10)}`;
    const report = reportPayload(id, area.a.point, { categoryCode: '05004', description: '出租屋群租隔断' });
    expect(exec('U-citizen', 'report', { ...report, source: 'citizen' }).status).toBe('accepted');
    expect(exec(townSeat.id, 'verify', { caseId: id }).status).toBe('accepted');

    await page.getByTestId('desk-search').fill(id);
    await row(id).waitFor({ timeout: 20_000 });
    await row(id).click();
    await expect.poll(() => detail().getAttribute('data-case-id'), { timeout: 15_000 }).toBe(id);
    // The detail recommends the unit first: the town's 住建办 (the list names it for 群租隔断).
    const lead = townUnitCode(area.townCode, 'zj');
    await expect.poll(() => page.getByTestId('recommend-unit').first().getAttribute('data-code')).toBe(lead);

    await page.getByTestId('act-dispatch').click();
    await page.getByTestId('dispatch-kind-department').check();
    const select = page.getByTestId('dispatch-department');
    expect(await select.inputValue()).toBe(lead);
    const options: { code: string; group: string | null }[] = [];
    for (const group of await select.locator('optgroup').all()) {
      const label = await group.getAttribute('label');
      for (const o of await group.locator('option').all())
        options.push({ code: (await o.getAttribute('value')) ?? '', group: label });
    }
    const codes = options.map((o) => o.code);
    // town departments of this town and city bureaus; no committee may lead a town matter
    expect(codes.filter((c) => /^t\d/.test(c)).every((c) => c.startsWith(`t${area.townCode}`))).toBe(true);
    expect(codes.filter((c) => /^t\d/.test(c))).toHaveLength(4);
    expect(codes.some((c) => /^v\d/.test(c))).toBe(false);
    expect(codes).toContain('housing');
    expect(new Set(options.map((o) => o.group))).toEqual(new Set(['镇街（园区）部门', '市直部门']));
    expect(await page.getByTestId('dispatch-unit-level').textContent()).toContain('镇街（园区）部门');

    // 联合执法: the case's village committee may assist, another village's may not be picked.
    await page.getByTestId('dispatch-joint-toggle').check();
    const committeeA = villageCommitteeCode(area.a.villageCode);
    const committeeB = villageCommitteeCode(area.b.villageCode);
    const coCodes = await Promise.all(
      (await page.getByTestId('dispatch-co-unit').all()).map((x) => x.getAttribute('data-code')),
    );
    expect(coCodes).toContain(committeeA);
    expect(coCodes).not.toContain(committeeB);
    expect(coCodes).not.toContain(lead);
    const enforcement = townUnitCode(area.townCode, 'zf');
    await page.locator(`[data-testid="dispatch-co-unit"][data-code="${committeeA}"]`).check();
    await page.locator(`[data-testid="dispatch-co-unit"][data-code="${enforcement}"]`).check();
    await page
      .getByTestId('desk-action-dialog')
      .screenshot({ path: artifactPath('joint-dispatch-dialog.png') });
    await shot('1-dispatch-form');
    await page.getByTestId('action-submit').click();

    // The server has the joint dispatch (after the desk's undo window), made by this seat.
    await expect.poll(() => caseOf(id).assignee?.id ?? null, { timeout: 30_000 }).toBe(lead);
    expect(caseOf(id).coUnits).toEqual([committeeA, enforcement]);
    const dispatched = t.server.events.ofCase(id).find((e) => e.type === 'case.dispatched')!;
    expect(dispatched).toMatchObject({ actorId: townSeat.id, seatId: townSeat.id, actorRole: 'dispatcher' });

    // The lead's handler signs; the committee's is refused (the lead signs and reports back).
    const leadHandler = t.server.seats.byOfficerId(`H-${lead}`)!;
    const coHandler = t.server.seats.byOfficerId(`H-${committeeA}`)!;
    const co = exec(coHandler.id, 'signFor', { caseId: id });
    expect(co).toMatchObject({
      status: 'rejected',
      code: 'NOT_ASSIGNEE',
      details: { rule: 'NOT_LEAD_UNIT' },
    });
    expect(exec(leadHandler.id, 'signFor', { caseId: id }).status).toBe('accepted');
    expect(exec(coHandler.id, 'addNote', { caseId: id, text: '村委会已通知业主配合' }).status).toBe(
      'accepted',
    );

    // The detail: lead and co-units; the timeline: the joint dispatch, the lead's sign-for, the note.
    await expect.poll(() => detail().getAttribute('data-state'), { timeout: 20_000 }).toBe('handling');
    const names = (code: string) => t.server.ref.departments.get(code)!.name;
    expect(await page.getByTestId('desk-detail-assignee').textContent()).toContain(names(lead));
    const coText = await page.getByTestId('desk-detail-co-units').textContent();
    expect(coText).toContain(names(committeeA));
    expect(coText).toContain(names(enforcement));
    const dispatchEvent = page.locator('[data-testid="desk-event"][data-type="case.dispatched"]');
    await expect.poll(() => dispatchEvent.textContent(), { timeout: 15_000 }).toContain('联合执法');
    expect(await dispatchEvent.textContent()).toContain(names(committeeA));
    expect(await dispatchEvent.textContent()).toMatch(/\d{2}:\d{2}/);
    await expect
      .poll(() => page.locator('[data-testid="desk-event"][data-type="case.note_added"]').count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await page.getByTestId('desk-search').blur();
    await shot('2-detail');
    await page.getByTestId('desk-timeline').scrollIntoViewIfNeeded();
    await page.getByTestId('desk-timeline').screenshot({ path: artifactPath('joint-3-timeline.png') });
  });
});
