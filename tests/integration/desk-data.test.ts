// The case desk's data calls on a real console against a real server: compact queue rows equal
// to the cases they stand for, incremental rows with this console's pending predictions, the
// officers' loads behind the recommendation, the seat's figures, and photos fetched with the
// seat's token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATES } from '../../src-shared/domain/case-model';
import { decodeDeskRows } from '../../src-shared/desk/queue-data';
import type { Case } from '../../src-shared/protocol/entities';
import { deskRowOf } from '../../src-main/data/desk-view';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
let app: TestConsoleApp;

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 3);
  app = await loginConsole(t.server, `${area.townCode}.dispatcher`);
  await settled(app);
});

afterAll(async () => {
  await app?.service.close();
  await t?.dispose();
});

const openServerCases = (): Case[] =>
  (t.server.db.prepare('SELECT json FROM cases WHERE town_code = ?').all(area.townCode) as { json: string }[])
    .map((r) => JSON.parse(r.json) as Case)
    .filter((c) => !FINAL_STATES.has(c.state));

describe('desk data', () => {
  it('answers every open case of the seat as a compact row equal to the case', () => {
    const q = app.service.desk.queue();
    expect(q.scopeCode).toBe(area.townCode);
    const rows = decodeDeskRows(q.rows);
    const server = openServerCases();
    expect(rows.length).toBe(server.length);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const c of server) expect(byId.get(c.id)).toEqual(deskRowOf(c, false));
  });

  it('gives changed rows with the pending prediction, then the server truth, and drops closed ones', async () => {
    const { service } = app;
    const photo = t.server.photos.put(renderScenePhoto('DD-1', 'before'), 'image/png', 'U-citizen');
    expect(photo.ok).toBe(true);
    expect(
      service.cases.queue(
        'report',
        reportPayload('DD-1', area.a.point, { photos: [photo.ok ? photo.data.hash : ''] }),
      ).ok,
    ).toBe(true);
    let changes = service.desk.rows(['DD-1', 'no-such-case']);
    expect(changes.removed).toEqual(['no-such-case']);
    const [pending] = decodeDeskRows(changes.rows);
    expect(pending).toMatchObject({ id: 'DD-1', state: 'reported', pending: true });
    await settled(app);
    changes = service.desk.rows(['DD-1']);
    expect(decodeDeskRows(changes.rows)[0]).toEqual(deskRowOf(t.server.commands.store.get('DD-1')!, false));
    expect(service.cases.queue('verify', { caseId: 'DD-1' }, 1).ok).toBe(true);
    expect(service.cases.queue('void', { caseId: 'DD-1', reason: '重复' }, 2).ok).toBe(true);
    expect(service.desk.rows(['DD-1']).removed).toEqual(['DD-1']); // voided in the prediction already
    await settled(app);
    expect(t.server.commands.store.get('DD-1')!.state).toBe('voided');
    expect(service.desk.rows(['DD-1']).removed).toEqual(['DD-1']);

    // The photo comes through the worker with the seat's token.
    const got = await service.desk.casePhoto(photo.ok ? photo.data.hash : '');
    expect(got.ok && got.data.mime).toBe('image/png');
    expect(got.ok && Buffer.from(got.data.bytes).equals(renderScenePhoto('DD-1', 'before'))).toBe(true);
    const missing = await service.desk.casePhoto('0'.repeat(64));
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
  });

  it('ranks the grid’s officers for a case and counts their load from open assignments', async () => {
    const { service } = app;
    expect(service.cases.queue('report', reportPayload('DD-2', area.a.point)).ok).toBe(true);
    expect(service.cases.queue('verify', { caseId: 'DD-2' }, 1).ok).toBe(true);
    await settled(app);
    const ranked = service.desk.recommend('DD-2', 5);
    expect(ranked.length).toBeGreaterThan(0);
    const gridOfficers = new Set(area.a.officers.map((o) => o.id));
    expect(gridOfficers.has(ranked[0].officerId)).toBe(true);
    expect(ranked[0].reasons[0].code).toBe('home_grid');
    const loadBefore = ranked[0].load;
    expect(
      service.cases.queue(
        'dispatch',
        { caseId: 'DD-2', assignee: { kind: 'officer', id: ranked[0].officerId } },
        2,
      ).ok,
    ).toBe(true);
    await settled(app);
    // A case dispatched to the officer counts toward the officer's load.
    expect(service.cases.queue('report', reportPayload('DD-3', area.a.point)).ok).toBe(true);
    expect(service.cases.queue('verify', { caseId: 'DD-3' }, 1).ok).toBe(true);
    await settled(app);
    const again = service.desk.recommend('DD-3', 20).find((r) => r.officerId === ranked[0].officerId)!;
    expect(again.load).toBe(loadBefore + 1);
  });

  it('shows the seat’s figures as the server computed them with the evaluation formulas', async () => {
    const view = await app.service.desk.figures();
    expect(view.stale).toBe(false);
    const f = view.figures!;
    expect(f.scopeCode).toBe(area.townCode);
    expect(f.cases).toBeGreaterThan(0);
    const c = f.week.counts;
    expect(c.dueForClosure).toBe(c.closed + c.overdueOpen);
    expect(f.week.rates.closureRate).toBe(c.dueForClosure === 0 ? null : c.closed / c.dueForClosure);
    // Every open overdue case of the seat is counted once: against this week's rates when its
    // deadline fell in the week, as backlog (积案) when it fell before (docs/formulas.md).
    const now = f.at;
    const overdue = openServerCases().filter((x) => x.dueAt !== null && x.dueAt < now).length;
    expect(c.overdueOpen + c.backlog).toBe(overdue);
    expect(f.today.counts.dispatched).toBeGreaterThanOrEqual(1); // DD-2 today
  });
});
