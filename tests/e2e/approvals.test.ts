// Approvals on the duty leader's desk (issue 17), in Chromium through a web host against a real
// dispatch server. A town's department handler (on the phone path, the server's command path
// under its own login) asks for 缓办 on an overdue case it is handling; the town's duty leader
// sees it in 待审批, approves it with the keyboard; the case leaves the overdue list while
// suspended and comes back when the handler resumes it. A 延期 request is refused with a reason.
// The timeline says who decided, from which seat and when. Screenshots:
// test-results/e2e/approvals-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Command } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { ensurePlantedDataset } from '../support/datasets';
import { startTestServer, type TestServer } from '../support/server-client';
import {
  deskDiagnosis,
  loginSeat,
  openConsolePage,
  openDesk,
  type ConsolePage,
} from './support/console-page';
import { artifactPath } from './support/paths';

describe('duty leader approves a 缓办 request on the desk', () => {
  let t: TestServer;
  let con: ConsolePage;
  let page: Page;
  let target: Case;
  let handlerUser: string;

  const caseOf = (id: string): Case => {
    const row = t.server.db.prepare('SELECT json FROM cases WHERE id = ?').get(id) as { json: string };
    return JSON.parse(row.json) as Case;
  };
  const exec = (userId: string, type: Command['type'], payload: Record<string, unknown>) =>
    t.server.execute(userId, `e2e-${userId}`, {
      commandId: uuidv7(),
      clientId: `e2e-${userId}`,
      type,
      payload,
      baseVersion: caseOf(payload.caseId as string).version,
      clientTime: Date.now(),
    } as Command);
  const row = (id: string) => page.locator(`[data-testid="desk-row"][data-case-id="${id}"]`);
  const detail = () => page.getByTestId('desk-detail');
  const shot = (name: string) => page.screenshot({ path: artifactPath(`approvals-${name}.png`) });
  /** Show one tab filtered to the case; `present` says whether its row should be there. */
  const inTab = async (tab: string, id: string, present: boolean): Promise<void> => {
    await page.getByTestId(`desk-tab-${tab}`).click();
    await page.getByTestId('desk-search').fill(id);
    try {
      await expect.poll(() => row(id).count(), { timeout: 20_000 }).toBe(present ? 1 : 0);
    } catch (e) {
      const server = caseOf(id);
      console.log(
        `desk tab ${tab}: row of ${id} ${present ? 'missing' : 'still there'} (server v${server.version} ${server.state} request ${server.request?.kind ?? '-'}):`,
        await deskDiagnosis(con, id).catch((d: unknown) => `no diagnosis: ${String(d)}`),
      );
      throw e;
    }
  };

  beforeAll(async () => {
    // The default-size history: with generator 1.3.0 late cases are a few per cent and close
    // within two days, so the small (20k) history often has no overdue case in handling at all.
    t = await startTestServer({ datasetDir: ensurePlantedDataset() });
    // An overdue case a department handler has signed for, held by a town or one of its villages
    // (its town's duty leader decides), from the imported history's open cases.
    const now = Date.now();
    const rows = t.server.db
      .prepare(
        "SELECT json FROM cases WHERE state = 'handling' AND json_extract(json, '$.dueAt') < ? ORDER BY json_extract(json, '$.dueAt') DESC LIMIT 500",
      )
      .all(now - 3_600_000) as { json: string }[];
    const found = rows
      .map((r) => JSON.parse(r.json) as Case)
      .find(
        (c) =>
          c.assignee?.kind === 'department' &&
          c.priority !== 'emergency' && // 缓办 is refused for 特急 cases
          c.handlerId !== null &&
          c.holderCode.length >= 9 &&
          t.server.seats.byOfficerId(c.handlerId) !== null,
      );
    if (!found) throw new Error('the demo history has no overdue department case in handling');
    target = found;
    handlerUser = t.server.seats.byOfficerId(found.handlerId!)!.id;
    con = await openConsolePage({
      serverUrl: t.server.url,
      dirPrefix: 'gc-e2e-approvals-',
      viewport: { width: 1400, height: 860 },
    });
    page = con.page;
    await loginSeat(page, `${found.townCode}.leader`);
    await openDesk(page);
  });

  afterAll(async () => {
    await con?.close();
    await t?.dispose();
  });

  it('handler asks for 缓办, the leader approves on the desk, the case leaves the overdue list and comes back on resume', async () => {
    const id = target.id;
    await inTab('overdue', id, true);
    await shot('1-overdue-before');

    // The handler asks (phone path): nothing changes on the clock yet.
    const asked = exec(handlerUser, 'requestSuspend', { caseId: id, reason: '业主出差，约定下周一到场整改' });
    expect(asked.status).toBe('accepted');
    expect(caseOf(id)).toMatchObject({ state: 'handling', request: { kind: 'suspend' } });
    await inTab('overdue', id, true);

    // The leader's approval queue shows it with the reason; `a` opens the approval, Enter confirms.
    await inTab('requests', id, true);
    await expect.poll(() => page.getByTestId('desk-count-requests').textContent()).not.toBe('0');
    await row(id).click();
    await expect.poll(() => detail().getAttribute('data-case-id'), { timeout: 15_000 }).toBe(id);
    await expect(page.getByTestId('desk-request-reason').textContent()).resolves.toContain('业主出差');
    await page.getByTestId('desk-search').blur();
    await shot('2-request-on-desk');
    await page.keyboard.press('a');
    await page.getByTestId('desk-action-dialog').waitFor();
    expect(await page.getByTestId('desk-action-dialog').getAttribute('data-action')).toBe('approveRequest');
    await shot('3-approve-dialog');
    await page.keyboard.press('Enter');
    await expect.poll(() => caseOf(id).state, { timeout: 15_000 }).toBe('suspended');
    const approved = caseOf(id);
    expect(approved.dueAt).toBeNull();
    expect(approved.suspensions.at(-1)).toMatchObject({ toMs: null, reason: '业主出差，约定下周一到场整改' });

    // Suspended: off the overdue list, in 缓办.
    await inTab('overdue', id, false);
    await inTab('suspended', id, true);
    await row(id).click();
    await expect.poll(() => detail().getAttribute('data-state'), { timeout: 15_000 }).toBe('suspended');
    // The timeline: who asked, who approved, from which seat.
    const events = page.getByTestId('desk-event');
    await expect
      .poll(async () => (await events.allTextContents()).join('\n'), { timeout: 15_000 })
      .toContain('批准缓办');
    const approval = (await events.allTextContents()).find((x) => x.includes('批准缓办'))!;
    // the leader's seat by its town and role (it is the actor, so no separate seat), never a raw id
    expect(approval).toContain('·值班领导');
    expect(approval).not.toMatch(/U-[\w-]+/);
    expect((await events.allTextContents()).some((x) => x.includes('申请缓办'))).toBe(true);
    await page.getByTestId('desk-search').blur();
    await shot('4-suspended');

    // Resumed by the handler: the clock runs again from where it stopped, still past due.
    expect(exec(handlerUser, 'resume', { caseId: id }).status).toBe('accepted');
    const resumed = caseOf(id);
    expect(resumed.state).toBe('handling');
    expect(resumed.dueAt).not.toBeNull();
    expect(resumed.dueAt!).toBeLessThan(Date.now());
    // moved out by the time it was suspended, no more
    const s = resumed.suspensions.at(-1)!;
    expect(s.toMs).not.toBeNull();
    await inTab('overdue', id, true);
    await shot('5-overdue-again');
  });

  it('a 延期 request refused with a reason leaves the deadline as it was', async () => {
    const id = target.id;
    const before = caseOf(id).dueAt;
    expect(
      exec(handlerUser, 'requestExtension', {
        caseId: id,
        reason: '需住建部门联合处置',
        extension: { unit: 'working_days', value: 2 },
      }).status,
    ).toBe('accepted');
    await inTab('requests', id, true);
    await row(id).click();
    await expect
      .poll(() => page.getByTestId('desk-request').getAttribute('data-kind'), { timeout: 15_000 })
      .toBe('extension');
    await page.getByTestId('desk-search').blur();
    await page.keyboard.press('n');
    await page.getByTestId('desk-action-dialog').waitFor();
    // A refusal needs a reason: Enter without one does not send it.
    await page.getByTestId('action-reason').fill('时限内可以完成，请抓紧办理');
    await shot('6-refuse-dialog');
    await page.keyboard.press('Enter');
    await expect.poll(() => caseOf(id).request ?? null, { timeout: 15_000 }).toBeNull();
    expect(caseOf(id)).toMatchObject({ state: 'handling', dueAt: before });
    await inTab('requests', id, false);
  });
});
