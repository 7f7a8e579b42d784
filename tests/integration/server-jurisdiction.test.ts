// Issue 14: jurisdiction is a hard wall. Regression tests per defect, over the real wire (a
// socket.io server on a random loopback port, HTTP with fetch): no answer carries a case the
// asking seat may not see, every actor is the authenticated one, photos are scoped, sessions end.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case, Officer } from '../../src-shared/protocol/entities';
import type { CatchUpPage, SnapshotPage } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
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
let villageA: TestConsole;
let villageB: TestConsole;
let town: TestConsole;
let seq = 0;
const newCaseId = (): string => `J${Date.now().toString(36)}${(seq++).toString(36)}`;
/** A description no other case has, so its bytes can be searched for in any answer. */
const secret = (): string => `机密描述-${uuidv7()}`;

function answerOf(ack: { ok: boolean; data?: unknown; error?: unknown }): CommandAnswer {
  expect(ack.ok, JSON.stringify(ack.error)).toBe(true);
  return ack.data as CommandAnswer;
}
function caseOf(answer: CommandAnswer): Case {
  if (answer.status !== 'accepted') throw new Error(`rejected: ${JSON.stringify(answer)}`);
  return answer.events[answer.events.length - 1].payload.case as Case;
}
/** The answer without the parts that differ on every call. */
const shape = (a: CommandAnswer): unknown => ({ ...a, commandId: null, serverTime: null });

async function seat(userName: string): Promise<TestConsole> {
  return connectConsole(t.server, await login(t.server, userName));
}

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server);
  [villageA, villageB, town] = await Promise.all([
    seat(`${area.a.villageCode}.operator`),
    seat(`${area.b.villageCode}.operator`),
    seat(`${area.townCode}.dispatcher`),
  ]);
});

afterAll(async () => {
  for (const c of [villageA, villageB, town]) c?.close();
  await t?.dispose();
});

describe('1. rejections never carry a foreign case', () => {
  it('every command on a case of another village is answered exactly like a missing case', async () => {
    const text = secret();
    const inB = caseOf(
      answerOf(
        await villageB.command('report', reportPayload(newCaseId(), area.b.point, { description: text })),
      ),
    );
    const officer = area.b.officers[0];
    const attempts: [string, Record<string, unknown>][] = [
      ['verify', {}],
      ['void', { reason: 'x' }],
      ['dispatch', { assignee: { kind: 'officer', id: officer.id } }],
      ['close', {}],
      ['signFor', {}],
      ['supervise', { note: 'x' }],
      ['addNote', { text: 'x' }],
      ['editFields', { fields: { address: 'x' } }],
      ['delegate', { toCode: area.a.villageCode }],
    ];
    for (const [type, extra] of attempts) {
      const onForeign = answerOf(await villageA.command(type, { caseId: inB.id, ...extra }, inB.version));
      const onMissing = answerOf(
        await villageA.command(type, { caseId: 'NO-SUCH-CASE', ...extra }, inB.version),
      );
      const bytes = JSON.stringify(onForeign);
      expect(bytes, type).not.toContain(text);
      expect(bytes, type).not.toContain(area.b.villageCode);
      expect(onForeign).toMatchObject({ status: 'rejected', code: 'NOT_FOUND', current: null });
      // Indistinguishable from a missing id, but for the id itself.
      expect(JSON.stringify(shape(onForeign)).replaceAll(inB.id, 'ID')).toBe(
        JSON.stringify(shape(onMissing)).replaceAll('NO-SUCH-CASE', 'ID'),
      );
    }
  });

  it('a report reusing the id of a foreign case is refused without the case', async () => {
    const text = secret();
    const inB = caseOf(
      answerOf(
        await villageB.command('report', reportPayload(newCaseId(), area.b.point, { description: text })),
      ),
    );
    const dup = answerOf(await villageA.command('report', reportPayload(inB.id, area.a.point)));
    expect(dup).toMatchObject({ status: 'rejected', code: 'DUPLICATE_CASE_ID', current: null });
    expect(JSON.stringify(dup)).not.toContain(text);
    // The town above sees the case, so its own refusals may show it.
    const townDup = answerOf(await town.command('report', reportPayload(inB.id, area.b.point)));
    expect(townDup).toMatchObject({ status: 'rejected', code: 'DUPLICATE_CASE_ID' });
    if (townDup.status === 'rejected') expect(townDup.current?.description).toBe(text);
  });
});

describe('2. the actor is the authenticated session; stored answers belong to their user', () => {
  it("another user presenting a known commandId gets COMMAND_ID_REUSED, never the first user's answer", async () => {
    const text = secret();
    const commandId = uuidv7();
    const payload = reportPayload(newCaseId(), area.b.point, { description: text });
    const first = answerOf(await villageB.command('report', payload, null, commandId));
    expect(first.status).toBe('accepted');
    // Same clientId as the first console, same commandId, same request: still another user.
    const thief = await connectConsole(
      t.server,
      await login(t.server, `${area.a.villageCode}.operator`),
      villageB.clientId,
    );
    try {
      const stolen = answerOf(await thief.command('report', payload, null, commandId));
      expect(stolen).toMatchObject({ status: 'rejected', code: 'COMMAND_ID_REUSED', current: null });
      expect(JSON.stringify(stolen)).not.toContain(text);
    } finally {
      thief.close();
    }
    // The same user repeating it gets the stored answer; with another payload, a refusal.
    expect(answerOf(await villageB.command('report', payload, null, commandId))).toEqual(first);
    const changed = answerOf(
      await villageB.command('report', { ...payload, description: '另一个' }, null, commandId),
    );
    expect(changed).toMatchObject({ status: 'rejected', code: 'COMMAND_ID_REUSED' });
  });

  it("events name the session's user as seat, whatever clientId the console claims", async () => {
    const cityDispatcher = t.server.seats.byUserName('city.dispatcher')!;
    const villageUser = t.server.seats.byUserName(`${area.a.villageCode}.operator`)!;
    const spoof = await connectConsole(
      t.server,
      await login(t.server, `${area.a.villageCode}.operator`),
      cityDispatcher.id,
    );
    try {
      const ack = await spoof.request('command', {
        commandId: uuidv7(),
        clientId: cityDispatcher.id,
        type: 'report',
        payload: reportPayload(newCaseId(), area.a.point),
        baseVersion: null,
        clientTime: Date.now(),
      });
      const answer = answerOf(ack);
      if (answer.status !== 'accepted') throw new Error(JSON.stringify(answer));
      expect(answer.events[0].seatId).toBe(villageUser.id);
      expect(answer.events[0].actorId).toBe(villageUser.id);
    } finally {
      spoof.close();
    }
  });
});

describe('3. photos are scoped', () => {
  const upload = async (token: string, bytes: Buffer): Promise<string> => {
    const res = await fetch(`${t.server.url}/api/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: new Uint8Array(bytes),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { data: { hash: string } }).data.hash;
  };
  const status = async (token: string, hash: string): Promise<number> =>
    (await fetch(`${t.server.url}/api/photos/${hash}`, { headers: { authorization: `Bearer ${token}` } }))
      .status;

  it('a photo is readable by the seats that may see a case naming it, and by its uploader until attached', async () => {
    const [tokA, tokB, tokTown, tokCitizen] = await Promise.all([
      login(t.server, `${area.a.villageCode}.operator`),
      login(t.server, `${area.b.villageCode}.operator`),
      login(t.server, `${area.townCode}.dispatcher`),
      login(t.server, 'citizen.app'),
    ]);
    const hash = await upload(tokB, renderScenePhoto(newCaseId(), 'before'));
    expect(await status(tokB, hash)).toBe(200);
    expect(await status(tokA, hash)).toBe(404); // not attached: only its uploader
    const c = caseOf(
      answerOf(
        await villageB.command('report', reportPayload(newCaseId(), area.b.point, { photos: [hash] })),
      ),
    );
    expect(c.photos).toEqual([hash]);
    expect(await status(tokB, hash)).toBe(200);
    expect(await status(tokTown, hash)).toBe(200);
    expect(await status(tokA, hash)).toBe(404);
    expect(await status(tokCitizen, hash)).toBe(404);
    // Indistinguishable from a photo that does not exist.
    expect(await status(tokA, 'f'.repeat(64))).toBe(404);
  });
});

describe('4. logout and expiry reach open sockets', () => {
  const closedBy = (c: TestConsole): Promise<{ reason: string; ended: unknown }> =>
    new Promise((resolve) => {
      let ended: unknown = null;
      c.socket.on('session.ended', (e: unknown) => (ended = e));
      c.socket.on('disconnect', (reason) => resolve({ reason, ended }));
    });

  it('a logout disconnects the sockets of that session and no other', async () => {
    const token = await login(t.server, `${area.a.villageCode}.operator`);
    const [one, two] = await Promise.all([connectConsole(t.server, token), connectConsole(t.server, token)]);
    const other = await seat(`${area.a.villageCode}.operator`);
    try {
      const gone = Promise.all([closedBy(one), closedBy(two)]);
      const res = await fetch(`${t.server.url}/api/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      for (const g of await gone) {
        expect(g.reason).toBe('io server disconnect');
        expect(g.ended).toMatchObject({ code: 'SESSION_ENDED' });
      }
      // The same user's other session carries on.
      const snap = await other.request('sync.snapshot', { kind: 'categories', cursor: null });
      expect(snap.ok).toBe(true);
    } finally {
      for (const c of [one, two, other]) c.close();
    }
  });

  it('an expired session is refused on its open socket and purged from the store', async () => {
    let clock = Date.now();
    const own = await startTestServer({ now: () => clock });
    try {
      const token = await login(own.server, `${area.a.villageCode}.operator`);
      const c = await connectConsole(own.server, token);
      const gone = closedBy(c);
      expect((await c.request('sync.snapshot', { kind: 'categories', cursor: null })).ok).toBe(true);
      expect(own.server.seats.sessionCount()).toBe(1);
      clock += 13 * 3_600_000; // past the 12 h session
      const late = await c.request('sync.snapshot', { kind: 'categories', cursor: null });
      expect(late).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect((await gone).ended).toMatchObject({ code: 'SESSION_EXPIRED' });
      // The gateway's sweep purges expired sessions (it also runs on every login).
      await own.server.gateway.sweep();
      expect(own.server.seats.sessionCount()).toBe(0);
      const res = await fetch(`${own.server.url}/api/places`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
    } finally {
      await own.dispose();
    }
  });
});

describe('7. commands naming things that do not exist are refused', () => {
  it('dispatch to an unknown officer or department, delegation to an unknown division', async () => {
    const reported = caseOf(
      answerOf(await villageA.command('report', reportPayload(newCaseId(), area.a.point))),
    );
    const c = caseOf(answerOf(await villageA.command('verify', { caseId: reported.id }, reported.version)));
    const tries: [string, Record<string, unknown>, string][] = [
      ['dispatch', { assignee: { kind: 'officer', id: 'O-NOBODY' } }, 'UNKNOWN_OFFICER'],
      ['dispatch', { assignee: { kind: 'department', id: 'NO-DEPT' } }, 'UNKNOWN_DEPARTMENT'],
      ['delegate', { toCode: `${area.townCode}999` }, 'UNKNOWN_DIVISION'],
    ];
    for (const [type, extra, rule] of tries) {
      const a = answerOf(await town.command(type, { caseId: c.id, ...extra }, c.version));
      expect(a, type).toMatchObject({ status: 'rejected', code: 'NOT_FOUND', details: { rule } });
    }
    const now = t.server.commands.store.get(c.id)!;
    expect(now.state).toBe('registered');
    expect(now.assignee).toBeNull();
    expect(now.dispatchedAt).toBeNull();
  });
});

describe('8. HTTP edges', () => {
  /** One raw HTTP/1.1 exchange (fetch would normalise the path); resolves with the status line. */
  const raw = (request: string | Buffer, body?: Iterable<Buffer>): Promise<string> =>
    new Promise((resolve) => {
      const sock = connect(t.server.port, '127.0.0.1');
      let got = '';
      sock.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if (got.includes('\r\n')) {
          resolve(got.split('\r\n')[0]);
          sock.destroy();
        }
      });
      // A reset after the answer arrived still counts: the status line is what we read.
      sock.on('error', () => undefined);
      sock.on('close', () => resolve(got.split('\r\n')[0] || 'CLOSED WITHOUT ANSWER'));
      sock.write(request);
      if (body) {
        const it = body[Symbol.iterator]();
        const pump = (): void => {
          for (let n = it.next(); !n.done; n = it.next()) {
            if (sock.destroyed) return;
            if (!sock.write(n.value)) {
              sock.once('drain', pump);
              return;
            }
          }
        };
        pump();
      }
    });

  it('dot segments and broken percent-encoding are answered 400, never left hanging', async () => {
    for (const path of ['/live/../api/health', '/live/%2e%2e/api/health', '/api/../live/x', '/live/./x']) {
      expect(await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), path).toMatch(
        / 400 /,
      );
    }
    expect(await raw('GET /live/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(
      / 40[14] /,
    );
    for (const path of ['/api/photos/%E0%A4%A', '/api/inspections/orders/%ZZ/complete', '/api/%']) {
      expect(await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), path).toMatch(
        / 400 /,
      );
    }
  });

  it('an oversized body sent chunked is answered 413', async () => {
    const token = await login(t.server, `${area.a.villageCode}.operator`);
    function* chunks(): Iterable<Buffer> {
      const piece = Buffer.alloc(64 * 1024, 0x41);
      for (let i = 0; i < 160; i++)
        yield Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
      yield Buffer.from('0\r\n\r\n');
    }
    const status = await raw(
      `POST /api/photos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n`,
      chunks(),
    );
    expect(status).toMatch(/ 413 /);
  });

  it('/api/health tells an unauthenticated caller only that the server lives', async () => {
    const anon = (await (await fetch(`${t.server.url}/api/health`)).json()) as { ok: boolean; data: unknown };
    expect(anon).toEqual({ ok: true, data: { live: true } });
    const village = await login(t.server, `${area.a.villageCode}.operator`);
    const seen = (await (
      await fetch(`${t.server.url}/api/health`, { headers: { authorization: `Bearer ${village}` } })
    ).json()) as { data: unknown };
    expect(seen.data).toEqual({ live: true });
    const city = await login(t.server, 'city.dispatcher');
    const full = (await (
      await fetch(`${t.server.url}/api/health`, { headers: { authorization: `Bearer ${city}` } })
    ).json()) as { data: { headSeq: number } };
    expect(typeof full.data.headSeq).toBe('number');
  });
});

describe('9. camera streams by role and code tree', () => {
  it('the citizen app and a grid officer of another grid get 404 for a camera, a seat above it does not', async () => {
    const row = t.server.db
      .prepare('SELECT id, grid_code FROM cameras WHERE village_code = ? ORDER BY id LIMIT 1')
      .get(area.b.villageCode) as { id: string; grid_code: string };
    const officer = area.a.officers[0];
    const status = async (userName: string): Promise<number> => {
      const token = await login(t.server, userName);
      const res = await fetch(`${t.server.url}/live/${row.id}/index.m3u8`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${token}` },
      });
      return res.status;
    };
    expect(await status('citizen.app')).toBe(404);
    expect(await status(officer.number)).toBe(404);
    expect(await status(`${area.a.villageCode}.operator`)).toBe(404);
    expect(await status(`${area.townCode}.dispatcher`)).not.toBe(404);
  });
});

describe('5. login throttling', () => {
  it('wrong passwords per account wait longer and lock out; the right password still works for other seats', async () => {
    let clock = Date.now();
    const own = await startTestServer({ now: () => clock });
    const attempt = async (userName: string, password: string) => {
      const res = await fetch(`${own.server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userName, password }),
      });
      const body = (await res.json()) as { error?: { code: string; details?: { retryAfterMs: number } } };
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        code: body.error?.code,
        wait: body.error?.details?.retryAfterMs,
      };
    };
    try {
      const victim = `${area.a.villageCode}.operator`;
      const waits: (number | undefined)[] = [];
      for (let i = 0; i < 3; i++) expect((await attempt(victim, 'wrong-password')).status).toBe(401);
      // Now every try, the right password too, waits: 1 s, 2 s, 4 s …
      for (let i = 0; i < 6; i++) {
        const refused = await attempt(victim, DEMO_PASSWORD);
        expect(refused).toMatchObject({ status: 429, code: 'LOGIN_THROTTLED' });
        expect(Number(refused.retryAfter)).toBeGreaterThan(0);
        waits.push(refused.wait);
        clock += refused.wait!;
        expect((await attempt(victim, 'wrong-password')).status).toBe(401);
      }
      expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
      clock += 30_000;
      expect((await attempt(victim, 'wrong-password')).status).toBe(401); // the 10th: locked
      const locked = await attempt(victim, DEMO_PASSWORD);
      expect(locked).toMatchObject({ status: 429, code: 'LOGIN_LOCKED', wait: 15 * 60_000 });
      // Another seat from the same address logs in.
      expect((await attempt(`${area.b.villageCode}.operator`, DEMO_PASSWORD)).status).toBe(200);
      clock += 15 * 60_000;
      expect((await attempt(victim, DEMO_PASSWORD)).status).toBe(200);
      // Per address: a spray over many names slows the whole address down.
      let last = { status: 0, code: undefined as string | undefined };
      for (let i = 0; i < 20; i++) last = await attempt(`nobody-${i}`, 'wrong-password');
      expect(last.status).toBe(401);
      expect(await attempt(`${area.b.villageCode}.operator`, DEMO_PASSWORD)).toMatchObject({
        status: 429,
        code: 'LOGIN_THROTTLED',
      });
    } finally {
      await own.dispose();
    }
  });
});

describe('6. least privilege by role', () => {
  it('a grid officer reads its own grid, its cameras and itself, not the city', async () => {
    const officer = area.a.officers[0];
    const phone = await seat(officer.number);
    try {
      const grids = await phone.request<SnapshotPage>('sync.snapshot', { kind: 'grids', cursor: null });
      expect((grids.data!.items as { code: string }[]).map((g) => g.code)).toEqual([area.a.grid.code]);
      const cams = await phone.request<SnapshotPage>('sync.snapshot', { kind: 'cameras', cursor: null });
      expect((cams.data!.items as { gridCode: string }[]).every((c) => c.gridCode === area.a.grid.code)).toBe(
        true,
      );
      const officers = await phone.request<SnapshotPage>('sync.snapshot', { kind: 'officers', cursor: null });
      expect((officers.data!.items as Officer[]).map((o) => o.id)).toEqual([officer.id]);
      const cases = await phone.request<SnapshotPage>('sync.snapshot', { kind: 'cases', cursor: null });
      expect(cases.ok).toBe(true);
      for (const c of cases.data!.items as Case[]) {
        const involved =
          c.gridCode === area.a.grid.code ||
          c.reporterId === officer.id ||
          c.handlerId === officer.id ||
          (c.assignee?.kind === 'officer' && c.assignee.id === officer.id);
        expect(involved, c.id).toBe(true);
      }
    } finally {
      phone.close();
    }
  });

  it('the citizen app reads only its own reports; a department handler only what was dispatched to its department', async () => {
    const mine = caseOf(
      answerOf(
        await (async () => {
          const app = await seat('citizen.app');
          try {
            return await app.command(
              'report',
              reportPayload(newCaseId(), area.a.point, { source: 'citizen' }),
            );
          } finally {
            app.close();
          }
        })(),
      ),
    );
    const app = await seat('citizen.app');
    const handlerOfficer = [...t.server.ref.officers.values()].find((o) => o.kind === 'department')!;
    const handler = await seat(handlerOfficer.number);
    try {
      const all = t.server.commands.store.count();
      const snap = await app.request<SnapshotPage>('sync.snapshot', { kind: 'cases', cursor: null });
      const seen = snap.data!.items as Case[];
      expect(seen.length).toBeLessThan(all);
      expect(seen.map((c) => c.id)).toContain(mine.id);
      expect(seen.every((c) => c.reporterId === 'U-citizen')).toBe(true);
      const feed = await app.request<CatchUpPage>('sync.catchUp', { after: 0 });
      expect(feed.data!.events.every((e) => (e.payload.case as Case).reporterId === 'U-citizen')).toBe(true);
      for (const kind of ['grids', 'cameras'] as const) {
        const ref = await app.request<SnapshotPage>('sync.snapshot', { kind, cursor: null });
        expect(ref.data!.items, kind).toEqual([]);
      }
      // No city-wide places or briefing for the citizen app or a department handler.
      for (const userName of ['citizen.app', handlerOfficer.number]) {
        const token = await login(t.server, userName);
        for (const path of ['/api/places', '/api/briefing/rollups']) {
          const res = await fetch(`${t.server.url}${path}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          expect(res.status, `${userName} ${path}`).toBe(403);
        }
      }

      const involved = (c: Case): boolean =>
        (c.assignee?.kind === 'department' && c.assignee.id === handlerOfficer.departmentCode) ||
        c.handlerId === handlerOfficer.id ||
        c.reporterId === handlerOfficer.id ||
        (c.assignee?.kind === 'officer' && c.assignee.id === handlerOfficer.id);
      const hs = await handler.request<SnapshotPage>('sync.snapshot', { kind: 'cases', cursor: null });
      expect((hs.data!.items as Case[]).every(involved)).toBe(true);
      const hf = await handler.request<CatchUpPage>('sync.catchUp', { after: 0 });
      expect(hf.data!.events.every((e) => involved(e.payload.case as Case))).toBe(true);
    } finally {
      app.close();
      handler.close();
    }
  });
});
