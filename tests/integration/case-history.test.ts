// A case's whole history: the server's scoped history endpoint; a console
// that logs in after a case was reported and verified shows the entries from the report on
// (fetched when its cache starts later); the imported live cases carry the entries that led to
// their state, and those waiting for a check carry a result text and an after-photo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import { historyComplete } from '../../src-main/data/cases/cases';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { connectConsole, login, startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const opened: TestConsoleApp[] = [];

interface HistoryAnswer {
  ok: boolean;
  data?: { case: Case; events: CaseEvent[] };
  error?: { code: string };
}

async function history(id: string, token: string | null): Promise<{ status: number; body: HistoryAnswer }> {
  const res = await fetch(`${t.server.url}/api/cases/${encodeURIComponent(id)}/history`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as HistoryAnswer };
}

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 3);
});

afterAll(async () => {
  for (const a of opened) await a.service.close();
  await t?.dispose();
});

describe('case history', () => {
  it('imported live cases have their entries; those waiting for a check a result and an after-photo', async () => {
    const rows = t.server.db
      .prepare(
        "SELECT json FROM cases WHERE id LIKE 'H%' AND state = 'feedback' AND json NOT LIKE '%\"selfHandled\":true%' LIMIT 1",
      )
      .all() as { json: string }[];
    expect(rows).toHaveLength(1);
    const c = JSON.parse(rows[0].json) as Case;
    // Waiting for a check: the after-photo is on the case from the start (in every snapshot).
    expect(c.afterPhotos).toHaveLength(1);
    expect(t.server.events.ofCase(c.id)).toEqual([]);
    const token = await login(t.server, `${c.townCode}.dispatcher`);
    const r = await history(c.id, token);
    expect(r.status).toBe(200);
    const events = r.body.data!.events;
    expect(events.map((e) => e.type)).toEqual([
      'case.reported',
      'case.verified',
      'case.dispatched',
      'case.signed_for',
      'case.feedback_given',
    ]);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    // Imported cases are numbered too, by their report day and town.
    expect(r.body.data!.case.number).toMatch(new RegExp(`^DG\\d{8}-${c.townCode.slice(-3)}-\\d{4,}$`));
    expect(events.every((e, i) => i === 0 || e.serverTime >= events[i - 1].serverTime)).toBe(true);
    const feedback = events[4];
    expect(feedback.payload.result).toEqual(expect.stringContaining('已按标准处置完毕'));
    const photos = feedback.payload.afterPhotos as string[];
    expect(photos).toHaveLength(1);
    expect(r.body.data!.case.afterPhotos).toEqual(photos);
    const photo = await fetch(`${t.server.url}/api/photos/${photos[0]}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    // The entries were written to the log on this first ask, once: asked again, the same ones.
    expect(t.server.events.ofCase(c.id).map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    const again = await history(c.id, token);
    expect(again.body.data!.events.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
  });

  it('answers only inside the seat’s scope', async () => {
    const own = t.server.db
      .prepare('SELECT id, village_code, town_code FROM cases ORDER BY id LIMIT 1')
      .get() as { id: string; village_code: string; town_code: string } | undefined;
    expect(own).toBeDefined();
    const neighbour = [...t.server.ref.grids.values()].find(
      (g) => g.townCode === own!.town_code && g.villageCode !== own!.village_code,
    )!.villageCode;
    expect((await history(own!.id, await login(t.server, `${own!.village_code}.operator`))).status).toBe(200);
    // A neighbour village's operator, and nobody at all.
    const other = await history(own!.id, await login(t.server, `${neighbour}.operator`));
    expect(other.status).toBe(404);
    expect(other.body.data).toBeUndefined();
    expect((await history(own!.id, null)).status).toBe(401);
    expect((await history('no-such-case', await login(t.server, 'city.dispatcher'))).status).toBe(404);
  });

  it('a console that logs in after the report and the verification shows them in 全痕迹记录', async () => {
    const dispatcher = await connectConsole(t.server, await login(t.server, `${area.townCode}.dispatcher`));
    const id = 'HIST-1';
    const reported = await dispatcher.command('report', reportPayload(id, area.a.point));
    expect(reported.ok).toBe(true);
    dispatcher.close();
    const operator = await connectConsole(t.server, await login(t.server, `${area.a.villageCode}.operator`));
    const verified = await operator.command('verify', { caseId: id }, 1);
    expect(verified.ok && (verified.data as { status: string }).status).toBe('accepted');
    operator.close();

    // This console's snapshot is taken after both entries: its cache holds the case, not them.
    const app = await loginConsole(t.server, `${area.a.villageCode}.operator`);
    opened.push(app);
    await settled(app);
    const cached = app.service.cases.detail(id);
    expect(cached.case?.version).toBe(2);
    expect(historyComplete(cached.events, 2)).toBe(false);

    // The live case got its number in the reporting transaction, carried by its events.
    const number = t.server.commands.store.get(id)!.number!;
    expect(number).toMatch(new RegExp(`^DG\\d{8}-${area.townCode.slice(-3)}-\\d{4,}$`));
    expect(cached.case?.number).toBe(number);
    const full = await app.service.cases.detailWithHistory(id);
    expect(full.events.map((e) => e.type)).toEqual(['case.reported', 'case.verified']);
    expect(full.events.map((e) => e.seq)).toEqual(t.server.events.ofCase(id).map((e) => e.seq));
    // Kept in the cache: read again without the server.
    expect(app.service.cases.detail(id).events.map((e) => e.type)).toEqual([
      'case.reported',
      'case.verified',
    ]);
  });
});
