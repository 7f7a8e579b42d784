// 一事多报: merging a duplicate report into its primary and un-merging it, on a real
// server over socket.io, and through a console's outbox (a real DataService with its SQLite
// files). The duplicate closes as merged (by the primary's NUMBER), the primary keeps the
// duplicate's reporter and photos; un-merge restores both; scope rules hold on both cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import type { EventPush } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { loginConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import {
  connectConsole,
  login,
  startTestServer,
  type TestConsole,
  type TestServer,
} from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
let town: TestConsole;
let villageA: TestConsole;
let villageB: TestConsole;
let citizen: TestConsole;
const tokens: Record<string, string> = {};
const pushes = new Map<TestConsole, CaseEvent[]>();
const consoles: TestConsoleApp[] = [];

function accepted(ack: { ok: boolean; data?: unknown; error?: unknown }): CaseEvent[] {
  expect(ack.ok, JSON.stringify(ack.error)).toBe(true);
  const a = ack.data as CommandAnswer;
  expect(a.status, JSON.stringify(a)).toBe('accepted');
  return a.status === 'accepted' ? a.events : [];
}

function rejected(ack: { ok: boolean; data?: unknown }): CommandAnswer & { status: 'rejected' } {
  const a = ack.data as CommandAnswer;
  expect(a.status, JSON.stringify(a)).toBe('rejected');
  return a as CommandAnswer & { status: 'rejected' };
}

async function uploadPhoto(token: string, label: string): Promise<string> {
  const res = await fetch(`${t.server.url}/api/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
    body: new Uint8Array(renderScenePhoto(label, 'before')),
  });
  return ((await res.json()) as { data: { hash: string } }).data.hash;
}

async function report(
  c: TestConsole,
  point: [number, number],
  extra: Record<string, unknown> = {},
): Promise<Case> {
  const events = accepted(await c.command('report', reportPayload(`M${uuidv7().slice(-12)}`, point, extra)));
  return events[0].payload.case as Case;
}

const stored = (id: string): Case => t.server.commands.store.get(id)!;

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server);
  const s = t.server;
  for (const u of [
    `${area.townCode}.dispatcher`,
    `${area.a.villageCode}.operator`,
    `${area.b.villageCode}.operator`,
    'citizen.app',
  ])
    tokens[u] = await login(s, u);
  [town, villageA, villageB, citizen] = await Promise.all(
    [
      `${area.townCode}.dispatcher`,
      `${area.a.villageCode}.operator`,
      `${area.b.villageCode}.operator`,
      'citizen.app',
    ].map((u) => connectConsole(s, tokens[u])),
  );
  for (const c of [town, villageA, villageB, citizen]) {
    pushes.set(c, []);
    c.socket.on('event', (p: EventPush) => pushes.get(c)!.push(p.event));
  }
});

afterAll(async () => {
  for (const c of [town, villageA, villageB, citizen]) c?.close();
  for (const app of consoles) await app.service.close();
  await t?.dispose();
});

describe('merge and un-merge (一事多报)', () => {
  it('closes the duplicate as merged into the primary, keeps its reporter and photos there, and un-merges exactly', async () => {
    const opPhoto = await uploadPhoto(tokens[`${area.a.villageCode}.operator`], 'primary');
    const citizenPhoto = await uploadPhoto(tokens['citizen.app'], 'duplicate');
    const primary = await report(villageA, area.a.point, { photos: [opPhoto] });
    const dup = await report(citizen, area.a.point, { source: 'citizen', photos: [citizenPhoto] });
    expect(primary.number).toBeTruthy();

    const headBefore = t.server.events.headSeq();
    const events = accepted(
      await town.command(
        'merge',
        { caseId: dup.id, primaryId: primary.id, reason: '同一处堵塞，群众重复反映' },
        dup.version,
      ),
    );
    expect(events.map((e) => [e.type, e.caseId])).toEqual([
      ['case.merged', dup.id],
      ['case.duplicate_merged', primary.id],
    ]);
    const d = stored(dup.id);
    const p = stored(primary.id);
    expect(d).toMatchObject({ state: 'voided', mergedInto: primary.number, stateBeforeMerge: 'reported' });
    expect(d.voidedAt).toBe(events[0].serverTime);
    expect(p.state).toBe('reported');
    expect(p.photos).toEqual([opPhoto, citizenPhoto]);
    expect(p.mergedFrom).toEqual([
      {
        number: dup.number,
        reporterId: 'U-citizen',
        source: 'citizen',
        reportedAt: dup.reportedAt,
        photos: [citizenPhoto],
        mergedAt: events[0].serverTime,
        mergedBy: events[0].actorId,
      },
    ]);
    // The actor and seat come from the session.
    expect(events[0].seatId).toBe(
      t.server.db
        .prepare('SELECT id FROM users WHERE user_name = ?')
        .pluck()
        .get(`${area.townCode}.dispatcher`),
    );
    // The duplicate's event names the primary by number only; its reporter never learns the primary's id.
    expect(JSON.stringify(events[0])).not.toContain(primary.id);
    // The duplicate's photo is now the primary's: served to the village seat that sees the primary.
    const photoRes = await fetch(`${t.server.url}/api/photos/${citizenPhoto}`, {
      headers: { authorization: `Bearer ${tokens[`${area.a.villageCode}.operator`]}` },
    });
    expect(photoRes.status).toBe(200);
    // Both cases' events reach the village seat; the citizen gets only its own report's.
    await waitFor(() => pushes.get(villageA)!.some((e) => e.type === 'case.duplicate_merged'));
    // The citizen app reads a personal feed (catch-up, no scope room): its report's event, no more.
    const feed = JSON.stringify(await citizen.request('sync.catchUp', { after: headBefore }));
    expect(feed).toContain('case.merged');
    expect(feed).toContain(dup.id);
    expect(feed).toContain(primary.number);
    expect(feed).not.toContain(primary.id);
    expect(feed).not.toContain('case.duplicate_merged');
    expect(pushes.get(villageB)!.some((e) => e.caseId === primary.id || e.caseId === dup.id)).toBe(false);

    // A merged duplicate cannot be merged again, nor can anything be merged into it.
    expect(
      rejected(await town.command('merge', { caseId: dup.id, primaryId: primary.id, reason: '再并' }, null))
        .code,
    ).toBe('CASE_CLOSED');

    const un = accepted(
      await villageA.command('unmerge', { caseId: dup.id, reason: '核实为两处不同问题' }, null),
    );
    expect(un.map((e) => e.type)).toEqual(['case.unmerged', 'case.duplicate_unmerged']);
    const d2 = stored(dup.id);
    const p2 = stored(primary.id);
    expect(d2).toMatchObject({ state: 'reported', voidedAt: null, mergedInto: null, stateBeforeMerge: null });
    expect(d2.version).toBe(d.version + 1);
    expect(p2.photos).toEqual([opPhoto]);
    expect(p2.mergedFrom).toEqual([]);
    // The whole story is on both timelines.
    const history = await fetch(`${t.server.url}/api/cases/${primary.id}/history`, {
      headers: { authorization: `Bearer ${tokens[`${area.a.villageCode}.operator`]}` },
    });
    const h = ((await history.json()) as { data: { events: CaseEvent[] } }).data.events.map((e) => e.type);
    expect(h).toEqual(['case.reported', 'case.duplicate_merged', 'case.duplicate_unmerged']);
  });

  it('refuses what the rules refuse: a case in hand, itself, a primary outside the seat, a field actor', async () => {
    const primary = await report(villageA, area.a.point);
    const inHand = await report(villageA, area.a.point);
    accepted(await town.command('verify', { caseId: inHand.id }, inHand.version));
    accepted(
      await town.command(
        'dispatch',
        { caseId: inHand.id, assignee: { kind: 'officer', id: area.a.officers[0].id } },
        null,
      ),
    );
    const inHandNo = rejected(
      await town.command('merge', { caseId: inHand.id, primaryId: primary.id, reason: '重复' }, null),
    );
    expect([inHandNo.code, inHandNo.details?.rule]).toEqual(['INVALID_TRANSITION', 'DUPLICATE_IN_HAND']);
    const self = rejected(
      await town.command('merge', { caseId: primary.id, primaryId: primary.id, reason: '重复' }, null),
    );
    expect(self.details?.rule).toBe('MERGE_SELF');

    // Village b's operator: its own report cannot be merged into village a's case — answered
    // exactly as for an id that does not exist.
    const own = await report(villageB, area.b.point);
    const foreign = rejected(
      await villageB.command('merge', { caseId: own.id, primaryId: primary.id, reason: '重复' }, null),
    );
    const missing = rejected(
      await villageB.command('merge', { caseId: own.id, primaryId: 'NO-SUCH-CASE', reason: '重复' }, null),
    );
    expect([foreign.code, foreign.details]).toEqual([missing.code, missing.details]);
    expect(foreign.reason.replace(primary.id, 'X')).toBe(missing.reason.replace('NO-SUCH-CASE', 'X'));
    expect(JSON.stringify(foreign)).not.toContain(primary.number!);
    // …nor can it merge village a's case at all (the duplicate itself is unseen).
    const unseen = rejected(
      await villageB.command('merge', { caseId: primary.id, primaryId: own.id, reason: '重复' }, null),
    );
    expect([unseen.code, unseen.current]).toEqual(['NOT_FOUND', null]);
    // The town holds both villages, yet may not merge village b's report into village a's case:
    // the primary's viewers (village a, its grid officer) would receive b's reporter and photos.
    const withPhoto = await report(villageB, area.b.point, {
      photos: [await uploadPhoto(tokens[`${area.b.villageCode}.operator`], 'across')],
    });
    const across = rejected(
      await town.command('merge', { caseId: withPhoto.id, primaryId: primary.id, reason: '重复' }, null),
    );
    expect([across.code, across.details?.rule]).toEqual(['INVALID_TRANSITION', 'MERGE_OTHER_GRID']);
    expect(stored(withPhoto.id).state).toBe('reported');
    expect(stored(primary.id).photos).not.toContain(withPhoto.photos[0]);
    // A grid officer may not merge.
    const officer = await connectConsole(t.server, await login(t.server, area.a.officers[0].number));
    const dup = await report(villageA, area.a.point);
    const byOfficer = rejected(
      await officer.command('merge', { caseId: dup.id, primaryId: primary.id, reason: '重复' }, null),
    );
    expect(byOfficer.code).toBe('FORBIDDEN');
    officer.close();
    // Nothing refused changed anything.
    expect(stored(primary.id).version).toBe(primary.version);
    expect(stored(dup.id).state).toBe('reported');
  });

  it('goes through a console outbox like every other action and lands in its cache', async () => {
    const app = await loginConsole(t.server, `${area.townCode}.dispatcher`);
    consoles.push(app);
    await settled(app);
    const primary = await report(villageA, area.a.point);
    const dup = await report(villageA, area.a.point);
    await waitFor(() => app.service.cacheStore?.getCase(dup.id) != null);
    const q = app.service.cases.queue(
      'merge',
      { caseId: dup.id, primaryId: primary.id, reason: '一事多报' },
      dup.version,
    );
    expect(q.ok, JSON.stringify(q)).toBe(true);
    if (q.ok) expect(q.data.optimistic).toMatchObject({ state: 'voided', mergedInto: primary.number });
    await settled(app);
    const cache = app.service.cacheStore!;
    expect(cache.getCase(dup.id)).toMatchObject({ state: 'voided', mergedInto: primary.number });
    expect(cache.getCase(primary.id)?.mergedFrom?.map((m) => m.number)).toEqual([dup.number]);
    // Un-merge from the console: it finds the primary by number in its own cache.
    const u = app.service.cases.queue('unmerge', { caseId: dup.id, reason: '不是同一问题' }, null);
    expect(u.ok, JSON.stringify(u)).toBe(true);
    await settled(app);
    expect(cache.getCase(dup.id)?.state).toBe('reported');
    expect(cache.getCase(primary.id)?.mergedFrom).toEqual([]);
    // A refused merge is refused at once on what the console knows.
    const closedNo = app.service.cases.queue(
      'merge',
      { caseId: dup.id, primaryId: dup.id, reason: 'x' },
      null,
    );
    expect(closedNo.ok).toBe(false);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
