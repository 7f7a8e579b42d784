// Three dispatch server nodes on one PostgreSQL and one Redis, all started by the harness on free
// loopback ports (issue 20): consoles connected to different nodes see each other's events with
// an unbroken per-scope prevSeq chain; the same command sent to two nodes has one effect and one
// stored answer; a dispatch race between consoles on different nodes has one winner; a session
// issued by one node is valid on all, and its end (logout, password change) closes its sockets on
// every node; telemetry batches from phones on any node reach every console of the scope exactly
// once.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent, OfficerFix } from '../../src-shared/protocol/entities';
import type { CatchUpPage, EventPush } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import type { DispatchServer } from '../../src-server/server';
import { redisAvailable, startLocalCluster, type LocalCluster } from '../support/cluster-harness';
import { ensureSmallDataset } from '../support/datasets';
import type { Alert } from '../../src-server/alerts/alert-service';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { pickArea, reportPayload } from '../support/fixtures';
import { postgresAvailable } from '../support/pg-harness';
import { connectConsole, login, type TestConsole } from '../support/server-client';

const available = postgresAvailable() && redisAvailable();

let cluster: LocalCluster;
let pool: pg.Pool;
let area: ReturnType<typeof pickArea>;
const consoles: TestConsole[] = [];
let n = 0;
const newCaseId = (): string => `K${Date.now().toString(36)}${(n++).toString(36)}`;

const node = (i: number): DispatchServer => {
  const s = cluster.nodes[i].server;
  if (!s) throw new Error('in-process node expected');
  return s;
};

async function seat(i: number, userName: string): Promise<TestConsole> {
  const c = await connectConsole(node(i), await login(node(i), userName));
  consoles.push(c);
  return c;
}

function answerOf(ack: { ok: boolean; data?: unknown; error?: unknown }): CommandAnswer {
  expect(ack.ok, JSON.stringify(ack.error)).toBe(true);
  return ack.data as CommandAnswer;
}

function caseOf(answer: CommandAnswer): Case {
  expect(answer.status, JSON.stringify(answer)).toBe('accepted');
  if (answer.status !== 'accepted') throw new Error('rejected');
  return answer.events[answer.events.length - 1].payload.case as Case;
}

/** Live pushes a console receives, in arrival order. */
function recordPushes(c: TestConsole): EventPush[] {
  const pushes: EventPush[] = [];
  c.socket.on('event', (p: EventPush) => pushes.push(p));
  return pushes;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A scope's pushes as one console received them: each event of the scope once, each naming the
 * scope's previous event (not the city's), and the watermark rule (apply when prevSeq equals the
 * watermark, else catch up) ends at the scope's last event.
 */
async function expectChain(
  got: readonly EventPush[],
  expected: readonly number[],
  before: number,
  catchUp: (after: number) => Promise<number[]>,
): Promise<void> {
  expect(got.map((p) => p.event.seq).sort((a, b) => a - b)).toEqual(expected);
  const bySeq = [...got].sort((a, b) => a.event.seq - b.event.seq);
  expect(bySeq.map((p) => p.prevSeq)).toEqual([before, ...expected.slice(0, -1)]);
  let watermark = before;
  for (const p of got) if (p.prevSeq === watermark) watermark = p.event.seq;
  if (watermark !== expected[expected.length - 1]) watermark = (await catchUp(watermark)).at(-1) ?? watermark;
  expect(watermark).toBe(expected[expected.length - 1]);
}

async function scopeEvents(
  col: 'town_code' | 'village_code',
  code: string,
  after: number,
): Promise<number[]> {
  const r = await pool.query<{ seq: string }>(
    `SELECT seq FROM events WHERE ${col} = $1 AND seq > $2 ORDER BY seq`,
    [code, after],
  );
  return r.rows.map((row) => Number(row.seq));
}

beforeAll(async () => {
  if (!available) return;
  cluster = await startLocalCluster({ datasetDir: ensureSmallDataset(), nodes: 3 });
  pool = new pg.Pool({ connectionString: cluster.pg.url, max: 4 });
  area = pickArea(node(0));
}, 240_000);

afterAll(async () => {
  for (const c of consoles) c.close();
  await pool?.end();
  await cluster?.stop();
});

describe.skipIf(!available)('a three-node cluster on PostgreSQL and Redis', () => {
  it('seeds the store once: every node answers the same snapshot of cases', async () => {
    const seeded = await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = 'seeded_by'");
    expect(seeded.rows).toHaveLength(1);
    expect(cluster.nodes.map((x) => x.nodeId)).toContain(seeded.rows[0].value);
    const counts = await Promise.all(cluster.nodes.map((_, i) => node(i).store.countCases()));
    expect(counts[0]).toBeGreaterThan(0);
    expect(new Set(counts).size).toBe(1);
    // The city seat (every case; its page once failed on PostgreSQL with an untyped unused
    // parameter): a town of the small dataset may hold no open case at the import cut.
    const city = await Promise.all([0, 1, 2].map((i) => seat(i, 'city.dispatcher')));
    const pages = await Promise.all(
      city.map((c) =>
        c.request<{ items: Case[]; watermark: number }>('sync.snapshot', { kind: 'cases', cursor: null }),
      ),
    );
    for (const p of pages) expect(p.ok, JSON.stringify(p.error)).toBe(true);
    const ids = pages.map((p) => (p.data?.items ?? []).map((k) => k.id));
    expect(ids[0].length).toBeGreaterThan(0);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });

  it('consoles on different nodes see each other’s events: one unbroken prevSeq chain per scope', async () => {
    // The town's dispatcher on every node listens; the two villages report from nodes 1 and 2
    // (and node 3 verifies), all at once.
    // Another town reports at the same time from node 3, so the town's events are not
    // consecutive in the city's log (its chain must skip them).
    const listeners = await Promise.all([0, 1, 2].map((i) => seat(i, `${area.townCode}.dispatcher`)));
    const pushes = listeners.map(recordPushes);
    const villageA = await seat(0, `${area.a.villageCode}.operator`);
    const villageB = await seat(1, `${area.b.villageCode}.operator`);
    const villageAPushes = recordPushes(villageA);
    const other = pickArea(node(0), 1);
    expect(other.townCode).not.toBe(area.townCode);
    const otherTown = await seat(2, `${other.a.villageCode}.operator`);
    const townOn3 = listeners[2];
    const before = await node(0).store.lastSeqOf(area.townCode);
    const beforeA = await node(0).store.lastSeqOf(area.a.villageCode);
    const reports = await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        i % 3 === 2
          ? otherTown.command('report', reportPayload(newCaseId(), other.a.point))
          : (i % 3 === 0 ? villageA : villageB).command(
              'report',
              reportPayload(newCaseId(), i % 3 === 0 ? area.a.point : area.b.point),
            ),
      ),
    );
    const reported = reports.map((r) => caseOf(answerOf(r))).filter((c) => c.townCode === area.townCode);
    const verified = await Promise.all(
      reported.map((c) => townOn3.command('verify', { caseId: c.id }, c.version)),
    );
    for (const v of verified) caseOf(answerOf(v));
    const expected = await scopeEvents('town_code', area.townCode, before);
    expect(expected).toHaveLength(48);
    for (const got of pushes) await until('every push of the town', () => got.length >= expected.length);
    const catchUpOn = (c: TestConsole) => async (after: number) => {
      const page = await c.request<CatchUpPage>('sync.catchUp', { after });
      return (page.data as { events: CaseEvent[] }).events.map((e) => e.seq);
    };
    // Whichever node committed each event, every town console gets the town's one chain …
    for (const [i, got] of pushes.entries())
      await expectChain(got, expected, before, catchUpOn(listeners[i]));
    // … and village a's operator (node 1) its village's, which skips village b's events.
    const expectedA = await scopeEvents('village_code', area.a.villageCode, beforeA);
    expect(expectedA).toHaveLength(24); // 12 reports + 12 verifications
    await until('village a pushes', () => villageAPushes.length >= expectedA.length);
    await expectChain(villageAPushes, expectedA, beforeA, catchUpOn(villageA));
  });

  it('the same command sent to two nodes yields one event and one stored answer', async () => {
    const opOn1 = await seat(0, `${area.a.villageCode}.operator`);
    const opOn2 = await seat(1, `${area.a.villageCode}.operator`);
    for (let round = 0; round < 12; round++) {
      const commandId = uuidv7();
      const payload = reportPayload(newCaseId(), area.a.point);
      const [a, b] = await Promise.all([
        opOn1.command('report', payload, null, commandId),
        opOn2.command('report', payload, null, commandId),
      ]);
      const [first, second] = [answerOf(a), answerOf(b)];
      expect(first.status).toBe('accepted');
      expect(second).toEqual(first);
      const events = await pool.query("SELECT seq FROM events WHERE json::jsonb ->> 'commandId' = $1", [
        commandId,
      ]);
      expect(events.rowCount).toBe(1);
      const stored = await pool.query<{ answer: string }>(
        'SELECT answer FROM commands WHERE command_id = $1',
        [commandId],
      );
      expect(stored.rows.map((r) => JSON.parse(r.answer) as unknown)).toEqual([first]);
    }
    // Another user reusing the commandId on a third node is refused without the stored answer.
    const commandId = uuidv7();
    answerOf(await opOn1.command('report', reportPayload(newCaseId(), area.a.point), null, commandId));
    const other = await seat(2, `${area.townCode}.dispatcher`);
    const reused = answerOf(
      await other.command('report', reportPayload(newCaseId(), area.a.point), null, commandId),
    );
    expect(reused).toMatchObject({ status: 'rejected', code: 'COMMAND_ID_REUSED', current: null });
  });

  it('a dispatch race between consoles on different nodes has one winner', async () => {
    const reporter = await seat(0, `${area.a.villageCode}.operator`);
    const townOn2 = await seat(1, `${area.townCode}.dispatcher`);
    const cityOn3 = await seat(2, 'city.dispatcher');
    const [o1, o2] = area.a.officers;
    for (let round = 0; round < 10; round++) {
      const reported = caseOf(
        answerOf(await reporter.command('report', reportPayload(newCaseId(), area.a.point))),
      );
      const c = caseOf(answerOf(await reporter.command('verify', { caseId: reported.id }, reported.version)));
      const [ra, rb] = await Promise.all([
        townOn2.command('dispatch', { caseId: c.id, assignee: { kind: 'officer', id: o1.id } }, c.version),
        cityOn3.command('dispatch', { caseId: c.id, assignee: { kind: 'officer', id: o2.id } }, c.version),
      ]);
      const answers = [answerOf(ra), answerOf(rb)];
      const winners = answers.filter((a) => a.status === 'accepted');
      const losers = answers.filter((a) => a.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const won = caseOf(winners[0]);
      const lost = losers[0];
      if (lost.status !== 'rejected') throw new Error('unreachable');
      expect(lost.code).toBe('ALREADY_ASSIGNED');
      expect(lost.details?.at).toBe(won.assignedAt);
      expect(lost.current?.assignee).toEqual(won.assignee);
      const logged = await node(0).store.caseEvents(c.id);
      expect(logged.filter((e) => e.type === 'case.dispatched')).toHaveLength(1);
      expect((await node(2).store.caseById(c.id))?.assignee).toEqual(won.assignee);
    }
  });

  it('a session issued by one node is valid on every node; a logout on another node ends it on all', async () => {
    const operator = `${area.a.villageCode}.operator`;
    const token = await login(node(0), operator);
    // n1's token on n2: a sync and a command; on n3: HTTP.
    const onN2 = await connectConsole(node(1), token);
    consoles.push(onN2);
    const snap = await onN2.request('sync.snapshot', { kind: 'categories', cursor: null });
    expect(snap.ok, JSON.stringify(snap.error)).toBe(true);
    caseOf(answerOf(await onN2.command('report', reportPayload(newCaseId(), area.a.point))));
    expect((await placesStatus(2, token)).status).toBe(200);
    const onN1 = await connectConsole(node(0), token);
    const onN3 = await connectConsole(node(2), token);
    consoles.push(onN1, onN3);
    const otherSession = await seat(2, operator); // the same seat's other login carries on
    const gone = [onN1, onN2, onN3].map(closedBy);
    const out = await fetch(`${node(1).url}/api/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(200);
    // Every node's socket of that session is told and disconnected (bounded wait, no sleep).
    for (const g of await within(10_000, 'the sockets of the session to close', Promise.all(gone))) {
      expect(g.reason).toBe('io server disconnect');
      expect(g.ended).toMatchObject({ code: 'SESSION_ENDED' });
    }
    // … and the token is refused everywhere afterwards, over socket.io and HTTP.
    for (const i of [0, 1, 2]) {
      await expect(connectConsole(node(i), token)).rejects.toThrow(/UNAUTHORIZED/);
      expect((await placesStatus(i, token)).status).toBe(401);
    }
    const still = await otherSession.request('sync.snapshot', { kind: 'categories', cursor: null });
    expect(still.ok).toBe(true);
    expect(await sessionRows(token)).toBe(0);
  });

  it('a password changed on one node ends the seat’s sessions on every node; the new password works on all', async () => {
    const checker = `${area.townCode}.checker`;
    const userId = `U-${area.townCode}-checker`;
    const sockets = await Promise.all([0, 1, 2].map((i) => seat(i, checker)));
    const gone = sockets.map(closedBy);
    const fresh = `cluster-${uuidv7().slice(-12)}`;
    await node(2).sessions.setPassword(userId, fresh);
    for (const g of await within(10_000, 'the seat’s sockets to close', Promise.all(gone)))
      expect(g.ended).toMatchObject({ code: 'SESSION_ENDED' });
    expect((await pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [userId])).rowCount).toBe(0);
    for (const i of [0, 1]) {
      await expect(login(node(i), checker)).rejects.toThrow(/wrong user name or password/);
      const token = await login(node(i), checker, fresh);
      const c = await connectConsole(node((i + 1) % 3), token);
      consoles.push(c);
      expect((await c.request('sync.snapshot', { kind: 'categories', cursor: null })).ok).toBe(true);
    }
  });
  it('a photo uploaded through one node is served by the others, within each seat’s view', async () => {
    const operatorA = `${area.a.villageCode}.operator`;
    const tokenA = await login(node(0), operatorA);
    const bytes = renderScenePhoto(`cluster-${uuidv7()}`, 'before');
    const up = await fetch(`${node(0).url}/api/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenA}`, 'content-type': 'image/png' },
      body: bytes,
    });
    expect(up.status).toBe(201);
    const { hash } = ((await up.json()) as { data: { hash: string } }).data;
    const fetchPhoto = async (i: number, token: string): Promise<{ status: number; body: Buffer }> => {
      const res = await fetch(`${node(i).url}/api/photos/${hash}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
    };
    const tokenB = await login(node(1), `${area.b.villageCode}.operator`);
    const townToken = await login(node(2), `${area.townCode}.dispatcher`);
    // Not yet on a case: its uploader only, on any node.
    const own = await fetchPhoto(1, tokenA);
    expect(own.status).toBe(200);
    expect(own.body.equals(bytes)).toBe(true);
    expect((await fetchPhoto(1, tokenB)).status).toBe(404);
    expect((await fetchPhoto(2, townToken)).status).toBe(404);
    // On a case of village a (reported through node 1): village a's seat and the town on every
    // node; another village's seat on node 2 still gets 404, as for a photo that does not exist.
    const onN1 = await connectConsole(node(0), tokenA);
    consoles.push(onN1);
    caseOf(
      answerOf(await onN1.command('report', reportPayload(newCaseId(), area.a.point, { photos: [hash] }))),
    );
    for (const i of [0, 1, 2]) {
      const town = await fetchPhoto(i, townToken);
      expect(town.status).toBe(200);
      expect(town.body.equals(bytes)).toBe(true);
      expect((await fetchPhoto(i, tokenB)).status).toBe(404);
    }
    const missing = await fetch(`${node(1).url}/api/photos/${'0'.repeat(64)}`, {
      headers: { authorization: `Bearer ${tokenB}` },
    });
    expect(missing.status).toBe(404);
    const stored = await pool.query('SELECT uploaded_by FROM photos WHERE hash = $1', [hash]);
    expect(stored.rows).toEqual([{ uploaded_by: `U-${area.a.villageCode}-operator` }]);
  });
  it('the alert feed is shared: an alert raised on n1 and acknowledged there shows acknowledged on n2', async () => {
    const tokenA = await login(node(0), `${area.a.villageCode}.operator`);
    const townOn2 = await login(node(1), `${area.townCode}.dispatcher`);
    const villageBOn3 = await login(node(2), `${area.b.villageCode}.operator`);
    const onN1 = await connectConsole(node(0), tokenA);
    consoles.push(onN1);
    const caseId = newCaseId();
    caseOf(
      answerOf(await onN1.command('report', reportPayload(caseId, area.a.point, { priority: 'emergency' }))),
    );
    const id = `emergency:${caseId}`;
    let seen: Alert | undefined;
    await until('the alert in the town’s feed on n2', async () => {
      seen = (await alertsOf(1, townOn2)).find((a) => a.id === id);
      return seen !== undefined;
    });
    expect(seen).toMatchObject({ kind: 'emergency', caseId, ackAt: null });
    // Another village's seat on n3: not in its feed, and it may not acknowledge it.
    expect((await alertsOf(2, villageBOn3)).map((a) => a.id)).not.toContain(id);
    expect((await alertApi(2, villageBOn3, '/api/alerts/ack', { id })).status).toBe(403);
    // Acknowledged on n1 by the village …
    const acked = await alertApi<{ alert: Alert; first: boolean }>(0, tokenA, '/api/alerts/ack', { id });
    expect(acked.status).toBe(200);
    expect(acked.data.first).toBe(true);
    // … shows acknowledged (who, when) to the town's seat on n2; a second ack there keeps the first.
    const onTown = (await alertsOf(1, townOn2)).find((a) => a.id === id);
    expect(onTown).toMatchObject({
      ackBy: `U-${area.a.villageCode}-operator`,
      ackAt: acked.data.alert.ackAt,
    });
    const again = await alertApi<{ alert: Alert; first: boolean }>(1, townOn2, '/api/alerts/ack', { id });
    expect(again.data.first).toBe(false);
    expect(again.data.alert.ackBy).toBe(`U-${area.a.villageCode}-operator`);
    const rows = await pool.query('SELECT ack_by FROM alerts WHERE id = $1', [id]);
    expect(rows.rows).toEqual([{ ack_by: `U-${area.a.villageCode}-operator` }]);
  });

  it('telemetry from phones on any node reaches every console of the scope exactly once', async () => {
    // The town's dispatcher on every node and village a's operator on node 2 listen; a phone of
    // village a on each node and one of village b on node 3 report their fixes.
    const towns = await Promise.all([0, 1, 2].map((i) => seat(i, `${area.townCode}.dispatcher`)));
    const villageA = await seat(1, `${area.a.villageCode}.operator`);
    const listeners = [...towns, villageA];
    const received = listeners.map(() => [] as OfficerFix[]);
    listeners.forEach((c, i) =>
      c.socket.on('telemetry.batch', (b: { fixes: OfficerFix[] }) => received[i].push(...b.fixes)),
    );
    const officerB = area.b.officers[0];
    const phones = await Promise.all(
      [...area.a.officers.slice(0, 3), officerB].map(async (o, i) => ({
        officer: o,
        socket: await seat(i % 3, o.number),
      })),
    );
    const sent: OfficerFix[] = [];
    // After every fix the nodes hold for these officers (the dataset's last fixes): an older one
    // is ignored (latest value wins).
    const held = phones.flatMap(({ officer }) =>
      [0, 1, 2].map((i) => node(i).telemetry.get(officer.id)?.at ?? 0),
    );
    const at0 = Math.max(Date.now(), ...held) + 1_000;
    const seen = (i: number, f: OfficerFix): boolean =>
      received[i].some((g) => g.officerId === f.officerId && g.at === f.at);
    const expectedBy = (i: number): OfficerFix[] =>
      i < 3 ? sent : sent.filter((f) => f.officerId !== officerB.id);
    // Rounds of one fix per phone, each round seen by every console before the next (the hub
    // sends only an officer's latest fix per flush); the last round is the sentinel after which
    // any second copy of an earlier fix would have arrived.
    for (let round = 0; round < 4; round++) {
      const fixes = phones.map(({ officer }, k) => ({
        officerId: officer.id,
        status: 'patrol' as const,
        lon: area.a.point[0] + 0.0001 * (round + 1),
        lat: area.a.point[1] + 0.0001 * k,
        heading: 90,
        at: at0 + round * 1_000 + k,
      }));
      const acks = await Promise.all(
        phones.map(({ socket }, k) => socket.request('telemetry.report', fixes[k])),
      );
      for (const a of acks) expect(a.ok, JSON.stringify(a.error)).toBe(true);
      sent.push(...fixes);
      await until(
        `round ${round} on every console (received ${received.map((r) => r.length).join('/')})`,
        () => listeners.every((_, i) => expectedBy(i).every((f) => seen(i, f))),
      );
    }
    for (const [i, got] of received.entries()) {
      const key = (f: OfficerFix): string => `${f.officerId}@${f.at}`;
      // Each fix of the scope once, whichever node its phone is on; nothing of another scope.
      expect(got.map(key).sort()).toEqual(expectedBy(i).map(key).sort());
      for (const f of got) expect(f).toEqual(sent.find((s) => key(s) === key(f)));
    }
  });
});

/** How a socket ended: the disconnect reason and the `session.ended` notice before it. */
function closedBy(c: TestConsole): Promise<{ reason: string; ended: unknown }> {
  return new Promise((resolve) => {
    let ended: unknown = null;
    c.socket.on('session.ended', (e: unknown) => (ended = e));
    c.socket.on('disconnect', (reason) => resolve({ reason, ended }));
  });
}

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function placesStatus(i: number, token: string): Promise<{ status: number }> {
  const res = await fetch(`${node(i).url}/api/places`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return { status: res.status };
}

async function sessionRows(token: string): Promise<number> {
  const digest = createHash('sha256').update(token).digest('hex');
  return (await pool.query('SELECT 1 FROM sessions WHERE token_hash = $1', [digest])).rowCount ?? 0;
}

async function alertApi<T = unknown>(
  i: number,
  token: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; data: T }> {
  const res = await fetch(`${node(i).url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { data: T };
  return { status: res.status, data: json.data };
}

async function alertsOf(i: number, token: string): Promise<Alert[]> {
  return (await alertApi<{ alerts: Alert[] }>(i, token, '/api/alerts')).data.alerts;
}
