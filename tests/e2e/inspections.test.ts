// The inspections view in Chromium through the web host, against a real dispatch server (issue 9):
// a village seat's grid coverage card shows the due/done/late figures the server counts, the
// work-order list of the grid, the re-grading queue decided from the keyboard, and the copies
// still readable once the server is gone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type StartedHost } from '../../src-main/host/index';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { civilFromDays, defaultCalendar, shanghaiDayIndex } from '../../src-shared/domain/calendar';
import type { CoverageAnswer } from '../../src-shared/inspections/model';
import { startTestServer, type TestServer } from '../support/server-client';
import { launchChromium } from './support/browser';
import { ROOT, artifactPath } from './support/paths';

describe('inspections view in Chromium through the web host', () => {
  let t: TestServer;
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  let village: string;
  let proposal: number;

  /** One attribute of every element a test id names, in document order. */
  const attrs = async (testId: string, name: string): Promise<(string | null)[]> =>
    Promise.all((await page.getByTestId(testId).all()).map((l) => l.getAttribute(name)));

  async function serverCoverage(scope: string): Promise<CoverageAnswer> {
    const login = await fetch(`${t.server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ userName: `${village}.operator`, password: DEMO_PASSWORD }),
    });
    const { data } = (await login.json()) as { data: { token: string } };
    const res = await fetch(`${t.server.url}/api/inspections/coverage?by=grid&scope=${scope}`, {
      headers: { authorization: `Bearer ${data.token}`, connection: 'close' },
    });
    return ((await res.json()) as { data: CoverageAnswer }).data;
  }

  beforeAll(async () => {
    t = await startTestServer();
    // The month and the months of visit history before it: the proposals they imply are what a
    // leader's queue holds on any day of the month, the first included.
    await t.server.inspections!.withHistory();
    // A village with a re-grading proposal waiting, so the queue has something to decide.
    const row = t.server.db
      .prepare("SELECT id, grid_code FROM inspection_regrades WHERE status = 'pending' ORDER BY id LIMIT 1")
      .get() as { id: number; grid_code: string };
    village = row.grid_code.slice(0, 12);
    proposal = row.id;
    host = await startWebHost({
      rootDir: ROOT,
      serverUrl: t.server.url,
      dataDir: mkdtempSync(join(tmpdir(), 'gc-e2e-insp-')),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  });

  /** Today's Shanghai day index if it is the first working day of its month, else -1. */
  const firstWorkingDayOfMonth = (): number => {
    const cal = defaultCalendar();
    const today = shanghaiDayIndex(Date.now());
    const month = civilFromDays(today).month;
    let d = today - civilFromDays(today).day + 1;
    while (civilFromDays(d).month === month && !cal.isWorkingDayIndex(d)) d++;
    return d === today ? today : -1;
  };

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await t?.dispose();
  });

  it('shows a grid’s coverage card with the due/done/late figures the server counts', async () => {
    await page.goto(host.url);
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await page.getByTestId('login-user').fill(`${village}.operator`);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForSelector('[data-app-state="ready"]');
    await page.keyboard.press('Alt+5');
    await page.getByTestId('view-inspections').waitFor();
    await page.getByTestId('insp-coverage-table').waitFor({ timeout: 30_000 });

    const keys = await attrs('insp-row', 'data-key');
    const grids = [...t.server.ref.grids.values()]
      .filter((g) => g.villageCode === village)
      .map((g) => g.code);
    expect([...keys].sort()).toEqual([...grids].sort());

    // The busiest grid of the village: sort by planned, take the first row.
    await page.getByTestId('insp-sort-planned').click();
    const first = page.getByTestId('insp-row').first();
    const grid = (await first.getAttribute('data-key'))!;
    await first.click();
    const card = page.getByTestId('insp-coverage-card');
    await card.waitFor();
    expect(await card.getAttribute('data-grid')).toBe(grid);

    const server = await serverCoverage(grid);
    const row = server.rows.find((r) => r.key === grid)!;
    expect(row.planned).toBeGreaterThan(0);
    // Orders fall due from the month's first working day on: on its morning none is due yet
    // (a pinned-clock run at 2026-12-01 09:00 sees 0); any later day has due and done ones.
    const firstMorning = row.due === 0 && shanghaiDayIndex(Date.now()) === firstWorkingDayOfMonth();
    if (!firstMorning) {
      expect(row.due).toBeGreaterThan(0);
      expect(row.done).toBeGreaterThan(0);
    }
    const shown = {
      due: Number(await page.getByTestId('insp-card-due').textContent()),
      done: Number(await page.getByTestId('insp-card-done').textContent()),
      late: Number(await page.getByTestId('insp-card-late').textContent()),
      missed: Number(await page.getByTestId('insp-card-missed').textContent()),
      open: Number(await page.getByTestId('insp-card-open').textContent()),
      ahead: Number(await page.getByTestId('insp-card-ahead').textContent()),
      planned: Number(await page.getByTestId('insp-card-planned').textContent()),
    };
    // The card's figures reconcile (issue 18): due = done + missed + open; done counts only the
    // due orders, the visits made ahead of their due day have their own figure.
    expect(shown).toEqual({
      due: row.due,
      done: row.dueDone,
      late: row.late,
      missed: row.missed,
      open: row.dueOpen,
      ahead: row.done - row.dueDone,
      planned: row.planned,
    });
    expect(shown.done + shown.missed + shown.open).toBe(shown.due);
    // And the server's figures are the store's own counts ("done" = done among the due ones;
    // the visits made ahead of their due day are counted apart).
    const today = shanghaiDayIndex(Date.now());
    const sql = t.server.db
      .prepare(
        `SELECT count(*) AS planned,
           count(CASE WHEN done_at IS NOT NULL AND due_day <= @today THEN 1 END) AS done,
           count(CASE WHEN done_at IS NOT NULL AND due_day > @today THEN 1 END) AS ahead,
           count(CASE WHEN done_day > due_day THEN 1 END) AS late
         FROM inspection_orders o JOIN grids g ON g.idx = o.grid_idx WHERE g.code = @grid AND o.month = @month`,
      )
      .get({ grid, month: Number(server.month.replace('-', '')), today }) as {
      planned: number;
      done: number;
      ahead: number;
      late: number;
    };
    expect({ planned: shown.planned, done: shown.done, ahead: shown.ahead, late: shown.late }).toEqual(sql);

    // The grid's work orders are listed beside the card.
    await page.getByTestId('insp-order').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('insp-order').count()).toBeGreaterThan(0);
    await page.getByTestId('insp-order-status').selectOption('late');
    await expect
      .poll(async () => (await attrs('insp-order', 'data-status')).every((s) => s === 'late'))
      .toBe(true);
    await page.getByTestId('insp-order-status').selectOption('');
    await page.getByTestId('insp-order').first().waitFor();
    await page.screenshot({ path: artifactPath('inspections-coverage-zh.png') });
  });

  it('decides a re-grading proposal from the keyboard', async () => {
    await page.getByTestId('insp-card-due').click(); // out of the status select: keys go to the view again
    await page.keyboard.press('o');
    await page
      .getByTestId('insp-coverage-table')
      .and(page.locator('[data-by="officer"]'))
      .waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('insp-row').count()).toBeGreaterThan(0);
    await page.getByTestId('insp-row').first().click();
    await page.getByTestId('insp-order').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: artifactPath('inspections-officers-zh.png') });
    await page.getByTestId('insp-card-due').click();
    await page.keyboard.press('q');
    await page.getByTestId('insp-regrade').first().waitFor({ timeout: 20_000 });
    const ids = (await attrs('insp-regrade', 'data-id')).map(Number);
    expect(ids).toContain(proposal);
    const at = ids.indexOf(proposal);
    for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: artifactPath('inspections-regrades-zh.png') });
    await page.keyboard.press('a');
    await page.getByTestId('insp-notice').waitFor();
    expect(await page.getByTestId('insp-notice').textContent()).toMatch(/已批准/);
    await expect
      .poll(
        () =>
          (
            t.server.db.prepare('SELECT status FROM inspection_regrades WHERE id = ?').get(proposal) as {
              status: string;
            }
          ).status,
      )
      .toBe('approved');
    await expect
      .poll(async () => (await attrs('insp-regrade', 'data-id')).map(Number))
      .not.toContain(proposal);
  });

  it('a past month shows its orders, or says in Chinese that they are being generated', async () => {
    await page.keyboard.press('g');
    await page.getByTestId('insp-row').first().waitFor({ timeout: 20_000 });
    const past = await page.getByTestId('insp-month').locator('option').nth(1).getAttribute('value');
    expect(past).toMatch(/^\d{4}-\d{2}$/);
    await page.getByTestId('insp-month').selectOption(past);
    // The months offered are the ones the re-grading history fills in (in the background after
    // the current month): their table, or a notice while they are generated — never an error.
    const notice = page.getByTestId('insp-month-none');
    await expect
      .poll(async () => (await notice.count()) > 0 || (await page.getByTestId('insp-totals').count()) > 0, {
        timeout: 30_000,
      })
      .toBe(true);
    if ((await notice.count()) > 0) {
      expect(await notice.getAttribute('data-code')).toBe('MONTH_GENERATING');
      expect(await notice.textContent()).toContain(`${past} 的巡查工单正在生成`);
    }
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: artifactPath('inspections-past-month.png') });
    await page.getByTestId('insp-month').selectOption('');
    await page.getByTestId('insp-row').first().waitFor({ timeout: 20_000 });
  });

  it('still shows the last copies when the server is gone', async () => {
    await page.keyboard.press('g');
    await page.getByTestId('insp-row').first().waitFor({ timeout: 20_000 });
    const before = await page.getByTestId('insp-totals').textContent();
    await t.stop();
    await page.keyboard.press('r');
    await expect
      .poll(() => page.getByTestId('insp-freshness').getAttribute('class'), { timeout: 30_000 })
      .toContain('insp-offline');
    expect(await page.getByTestId('insp-totals').textContent()).toBe(before);
    await page.keyboard.press('Alt+L');
    await page.getByTestId('insp-row').first().click();
    await page.getByTestId('insp-coverage-card').waitFor();
    await page.screenshot({ path: artifactPath('inspections-offline-en.png') });
    await page.keyboard.press('Alt+L');
  });
});
