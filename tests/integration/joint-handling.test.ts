// Issue 17 §3 over the real wire (socket.io on a random loopback port): handling units — the
// town's departments and each village's committee — and a joint dispatch 联合执法 led by one
// unit with co-units. The town dispatches jointly; the lead's handler signs and feeds back; a
// co-unit's handler sees the case but its sign-for is refused; another village's seat and
// committee receive neither the case nor that village's committee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent, Department } from '../../src-shared/protocol/entities';
import type { CatchUpPage, EventPush, SnapshotPage } from '../../src-shared/protocol/messages';
import { townUnitCode, villageCommitteeCode } from '../../src-shared/domain/handling-units';
import { uuidv7 } from '../../src-shared/util/ids';
import { pickArea, reportPayload } from '../support/fixtures';
import {
  connectConsole,
  login,
  startTestServer,
  type Ack,
  type TestConsole,
  type TestServer,
} from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const consoles: TestConsole[] = [];
const pushes = new Map<TestConsole, CaseEvent[]>();

async function seat(userName: string): Promise<TestConsole> {
  const c = await connectConsole(t.server, await login(t.server, userName));
  consoles.push(c);
  pushes.set(c, []);
  c.socket.on('event', (p: EventPush) => pushes.get(c)!.push(p.event));
  return c;
}

/** The phone login of a unit's handler (one per unit, made at import). */
function handlerOf(unitCode: string): Promise<TestConsole> {
  const o = t.server.ref.officers.get(`H-${unitCode}`);
  if (!o) throw new Error(`no handler for ${unitCode}`);
  return seat(o.number);
}

async function answer(
  c: TestConsole,
  type: string,
  payload: Record<string, unknown>,
): Promise<CommandAnswer> {
  const version = payload.caseId
    ? (t.server.commands.store.get(payload.caseId as string)?.version ?? 0)
    : null;
  const ack = await c.command(type, payload, type === 'report' ? null : version);
  expect(ack.ok, JSON.stringify(ack.error)).toBe(true);
  return ack.data as CommandAnswer;
}

async function units(c: TestConsole): Promise<string[]> {
  const ack = await c.request<SnapshotPage>('sync.snapshot', { kind: 'departments', cursor: null });
  expect(ack.ok).toBe(true);
  return (ack.data!.items as Department[]).map((d) => d.code);
}

async function caseIds(c: TestConsole): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const ack: Ack<SnapshotPage> = await c.request<SnapshotPage>('sync.snapshot', { kind: 'cases', cursor });
    expect(ack.ok).toBe(true);
    ids.push(...(ack.data!.items as Case[]).map((k) => k.id));
    cursor = ack.data!.nextCursor;
  } while (cursor !== null);
  return ids;
}

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server);
}, 120_000);

afterAll(async () => {
  for (const c of consoles) c.close();
  await t?.dispose();
});

describe('handling units and joint handling 联合执法 through a real server', () => {
  it('lists the town departments and the village committee a village seat may see, not another village’s', async () => {
    const villageA = await seat(`${area.a.villageCode}.operator`);
    const seen = await units(villageA);
    expect(seen).toContain(villageCommitteeCode(area.a.villageCode));
    expect(seen).toContain(townUnitCode(area.townCode, 'zf'));
    expect(seen).toContain('urban');
    expect(seen).not.toContain(villageCommitteeCode(area.b.villageCode));
    // and nothing of another town
    expect(seen.filter((code) => /^[tv]\d/.test(code) && !code.slice(1).startsWith(area.townCode))).toEqual(
      [],
    );
  });

  it('dispatches jointly: the lead signs and feeds back, a co-unit sees it but may not sign, other villages see nothing', async () => {
    const town = await seat(`${area.townCode}.dispatcher`);
    const villageA = await seat(`${area.a.villageCode}.operator`);
    const villageB = await seat(`${area.b.villageCode}.operator`);
    const lead = townUnitCode(area.townCode, 'zj'); // 住建办 leads 群租隔断 (town level)
    const enforcement = townUnitCode(area.townCode, 'zf');
    const committeeA = villageCommitteeCode(area.a.villageCode);
    const committeeB = villageCommitteeCode(area.b.villageCode);
    const [leadPhone, committeeAPhone, committeeBPhone] = await Promise.all([
      handlerOf(lead),
      handlerOf(committeeA),
      handlerOf(committeeB),
    ]);

    const before = t.server.events.headSeq();
    // 群租隔断 05004 in village A, joint: 住建办 leads, 执法办 and village A's committee assist.
    const id = `JH${uuidv7().slice(-10)}`;
    const report = reportPayload(id, area.a.point, { categoryCode: '05004', description: '群租隔断' });
    expect((await answer(town, 'report', report)).status).toBe('accepted');
    expect((await answer(town, 'verify', { caseId: id })).status).toBe('accepted');
    // a village committee may not lead a town matter: the server says why
    const tooLow = await answer(town, 'dispatch', {
      caseId: id,
      assignee: { kind: 'department', id: committeeA },
    });
    expect(tooLow).toMatchObject({ status: 'rejected', code: 'WRONG_HANDLING_LEVEL' });
    // nor may another village's committee assist it
    const foreign = await answer(town, 'dispatch', {
      caseId: id,
      assignee: { kind: 'department', id: lead },
      coUnits: [committeeB],
    });
    expect(foreign).toMatchObject({
      status: 'rejected',
      code: 'OUT_OF_SCOPE',
      details: { rule: 'UNIT_NOT_LOCAL' },
    });
    const dispatched = await answer(town, 'dispatch', {
      caseId: id,
      assignee: { kind: 'department', id: lead },
      coUnits: [enforcement, committeeA],
    });
    expect(dispatched.status).toBe('accepted');

    // The co-unit's handler receives the case and may add to it, but not sign for it.
    await expect
      .poll(async () => (await caseIds(committeeAPhone)).includes(id), { timeout: 10_000 })
      .toBe(true);
    const coSign = await answer(committeeAPhone, 'signFor', { caseId: id });
    expect(coSign).toMatchObject({
      status: 'rejected',
      code: 'NOT_ASSIGNEE',
      details: { rule: 'NOT_LEAD_UNIT' },
    });
    expect((await answer(committeeAPhone, 'addNote', { caseId: id, text: '村委会已配合入户' })).status).toBe(
      'accepted',
    );

    // The lead signs and feeds back; its clock is the case's clock.
    expect((await answer(leadPhone, 'signFor', { caseId: id })).status).toBe('accepted');
    const photo = 'ef'.repeat(32);
    const coFeedback = await answer(committeeAPhone, 'feedback', {
      caseId: id,
      result: '已拆除',
      afterPhotos: [photo],
    });
    expect(coFeedback).toMatchObject({ status: 'rejected', code: 'NOT_ASSIGNEE' });
    const fed = await answer(leadPhone, 'feedback', {
      caseId: id,
      result: '隔断已拆除',
      afterPhotos: [photo],
    });
    expect(fed.status).toBe('accepted');
    const stored = t.server.commands.store.get(id)!;
    expect(stored).toMatchObject({
      state: 'feedback',
      assignee: { kind: 'department', id: lead },
      handlerId: `H-${lead}`,
      coUnits: [enforcement, committeeA],
    });
    expect(stored.dueAt).not.toBeNull();

    // The timeline: the joint dispatch with who, seat and time; the co-unit's note; the lead's feedback.
    const events = t.server.events.ofCase(id);
    const dispatch = events.find((e) => e.type === 'case.dispatched')!;
    expect(dispatch).toMatchObject({
      actorId: t.server.seats.byUserName(`${area.townCode}.dispatcher`)!.id,
      actorRole: 'dispatcher',
      seatId: t.server.seats.byUserName(`${area.townCode}.dispatcher`)!.id,
      payload: { coUnits: [enforcement, committeeA] },
    });
    expect(dispatch.serverTime).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'case.note_added')).toMatchObject({ actorId: `H-${committeeA}` });
    expect(events.find((e) => e.type === 'case.feedback_given')).toMatchObject({ actorId: `H-${lead}` });

    // Village B's seat and committee got none of it: no push, not in their snapshots.
    const everyone = [villageB, committeeBPhone];
    for (const c of everyone) {
      expect(pushes.get(c)!.filter((e) => e.caseId === id)).toEqual([]);
      expect(await caseIds(c)).not.toContain(id);
      expect(await units(c)).not.toContain(committeeA);
    }
    // Village A's seat followed the case (its area); the co-unit's handler, on its personal feed
    // (handlers catch up rather than read a scope), finds the joint dispatch that names it.
    expect(pushes.get(villageA)!.some((e) => e.caseId === id && e.type === 'case.feedback_given')).toBe(true);
    const feed = await committeeAPhone.request<CatchUpPage>('sync.catchUp', { after: before });
    expect(feed.ok).toBe(true);
    expect(feed.data!.events.filter((e) => e.caseId === id).map((e) => e.type)).toContain('case.dispatched');
    const feedB = await committeeBPhone.request<CatchUpPage>('sync.catchUp', { after: before });
    expect(feedB.data!.events.filter((e) => e.caseId === id)).toEqual([]);
  });

  it('lets a village seat send its own committee a village matter, never another village’s committee', async () => {
    const villageA = await seat(`${area.a.villageCode}.operator`);
    const villageB = await seat(`${area.b.villageCode}.operator`);
    const committeeA = villageCommitteeCode(area.a.villageCode);
    const committeeB = villageCommitteeCode(area.b.villageCode);
    // 出租屋未登记 05001 (village level) in village B, by village B's seat to its committee
    const id = `JV${uuidv7().slice(-10)}`;
    const report = reportPayload(id, area.b.point, { categoryCode: '05001', description: '出租屋未登记' });
    expect((await answer(villageB, 'report', report)).status).toBe('accepted');
    expect((await answer(villageB, 'verify', { caseId: id })).status).toBe('accepted');
    const wrong = await answer(villageB, 'dispatch', {
      caseId: id,
      assignee: { kind: 'department', id: committeeA },
    });
    // village A's committee is outside village B: refused, and without a word of it (no `current` leak either way)
    expect(wrong).toMatchObject({ status: 'rejected', code: 'OUT_OF_SCOPE' });
    const right = await answer(villageB, 'dispatch', {
      caseId: id,
      assignee: { kind: 'department', id: committeeB },
    });
    expect(right.status).toBe('accepted');
    expect(await caseIds(villageA)).not.toContain(id);
    expect(pushes.get(villageA)!.filter((e) => e.caseId === id)).toEqual([]);
  });
});
