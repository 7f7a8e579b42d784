// Over a thousand malformed, wrongly typed, oversized and unauthorised messages: each gets a
// clear error, the server stays up, and the state (cases, events) is unchanged.
import { createHash } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src-shared/domain/geo';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import type { Ack } from '../support/server-client';
import {
  connectConsole,
  login,
  startTestServer,
  type TestConsole,
  type TestServer,
} from '../support/server-client';
import { pickArea, reportPayload } from '../support/fixtures';

let t: TestServer;
let village: TestConsole;
let officer: TestConsole;
let area: ReturnType<typeof pickArea>;
let foreignCaseId: string;

function stateHash(): string {
  const h = createHash('sha256');
  for (const r of t.server.db.prepare('SELECT id, json FROM cases ORDER BY id').iterate() as Iterable<{
    id: string;
    json: string;
  }>)
    h.update(r.json);
  for (const r of t.server.db.prepare('SELECT seq, json FROM events ORDER BY seq').iterate() as Iterable<{
    json: string;
  }>)
    h.update(r.json);
  return h.digest('hex');
}

beforeAll(async () => {
  t = await startTestServer({ ratePerSec: 100_000, burst: 100_000 });
  area = pickArea(t.server, 3);
  village = await connectConsole(t.server, await login(t.server, `${area.a.villageCode}.operator`));
  officer = await connectConsole(t.server, await login(t.server, area.a.officers[0].number));
  // A case in the other village, which the village seat must not touch.
  const other = await connectConsole(t.server, await login(t.server, `${area.b.villageCode}.operator`));
  const ack = await other.command('report', reportPayload('FOREIGN-1', area.b.point));
  expect(ack.ok).toBe(true);
  foreignCaseId = 'FOREIGN-1';
  other.close();
});

afterAll(async () => {
  village?.close();
  officer?.close();
  await t?.dispose();
});

/** Garbage of every JSON-ish shape, from a seeded generator so failures replay. */
function junkValues(seed: string, n: number): unknown[] {
  const rng = createRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
  const scalars: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    2 ** 53,
    Number.NaN,
    '',
    'x',
    '网格',
    '<script>',
    '\u0000',
    '9'.repeat(300),
    [],
    {},
  ];
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const depth = Math.floor(rng.next() * 3);
    let v: unknown = pick(scalars);
    for (let d = 0; d < depth; d++)
      v =
        rng.next() < 0.5
          ? [v, pick(scalars)]
          : { [pick(['caseId', 'type', 'payload', '__proto__', 'constructor', 'a'])]: v };
    out.push(v);
  }
  return out;
}

function validCommand(
  type: string,
  payload: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
) {
  return {
    commandId: uuidv7(),
    clientId: village.clientId,
    type,
    payload,
    baseVersion: 1,
    clientTime: Date.now(),
    ...overrides,
  };
}

describe('bad input', () => {
  it('answers ≥ 1,000 bad messages with clear errors, stays up, and changes nothing', async () => {
    const before = stateHash();
    const casesBefore = t.server.commands.store.count();
    const sent: { what: string; ack: Promise<Ack> }[] = [];
    const send = (what: string, name: string, ...args: unknown[]): void => {
      sent.push({ what, ack: village.request(name, ...args) });
    };

    // 1. Junk payloads to every request.
    for (const name of ['command', 'sync.snapshot', 'sync.catchUp']) {
      for (const [i, junk] of junkValues(`junk-${name}`, 200).entries())
        send(`${name} junk #${i}`, name, junk);
    }
    // 2. Well-formed envelopes with one field wrong at a time.
    const base = validCommand('verify', { caseId: 'X1' });
    const wrongs: Record<string, unknown[]> = {
      commandId: ['', 'not-a-uuid', 42, null, uuidv7().toUpperCase(), '3b241101-e2bb-4255-8caf-4136c566a962'],
      clientId: ['', 'has space', 7, null, 'x'.repeat(65)],
      type: ['teleport', '', 5, null, 'VERIFY', 'constructor', '__proto__'],
      baseVersion: [-1, 1.5, '1', {}, Number.MAX_VALUE],
      clientTime: [-5, 'now', 1.25, null, 1e20],
      payload: [null, 'x', [], { caseId: '' }, { caseId: 'a b' }, { caseId: 'X', extra: 1 }],
    };
    for (const [field, values] of Object.entries(wrongs)) {
      for (const v of values)
        for (let rep = 0; rep < 5; rep++)
          send(`command.${field}=${JSON.stringify(v)}`, 'command', {
            ...base,
            commandId: uuidv7(),
            [field]: v,
          });
    }
    // 3. Each command type with an empty, a wrongly typed and a half payload.
    const types = [
      'report',
      'selfHandle',
      'verify',
      'void',
      'dispatch',
      'reassign',
      'signFor',
      'requestReturn',
      'requestSuspend',
      'requestExtension',
      'approveRequest',
      'refuseRequest',
      'resume',
      'feedback',
      'close',
      'rework',
      'escalate',
      'delegate',
      'supervise',
      'addNote',
      'addPhoto',
      'editFields',
    ];
    for (const type of types) {
      send(`${type} empty`, 'command', validCommand(type, {}));
      send(
        `${type} numbers`,
        'command',
        validCommand(type, { caseId: 1, reason: 2, assignee: 3, lon: 'east' }),
      );
      send(`${type} missing reason`, 'command', validCommand(type, { caseId: 'X1', reason: '' }));
      send(`${type} bad location`, 'command', validCommand(type, { ...reportPayload('NEW', [999, 999]) }));
    }
    // 4. Unknown message names and wrong arity.
    for (let i = 0; i < 60; i++) send(`unknown #${i}`, i % 2 ? `admin.drop${i}` : `__proto__`, {});
    for (let i = 0; i < 30; i++) send(`arity #${i}`, 'sync.catchUp', { after: 0 }, { extra: i });
    // 5. Oversized payloads (below the transport limit: the server answers them).
    for (let i = 0; i < 20; i++) {
      send(
        `oversized #${i}`,
        'command',
        validCommand('addNote', { caseId: 'X1', text: '字'.repeat(100_000 + i * 1000) }),
      );
    }
    // 6. Unauthorised: valid commands the seat may not give, data it may not read.
    for (let i = 0; i < 40; i++) {
      send(
        `foreign verify #${i}`,
        'command',
        validCommand('verify', { caseId: foreignCaseId }, { baseVersion: 1 }),
      );
      send(
        `foreign report #${i}`,
        'command',
        validCommand('report', reportPayload(`OUT${i}`, area.b.point), { baseVersion: null }),
      );
      send(
        `foreign void #${i}`,
        'command',
        validCommand('void', { caseId: foreignCaseId, reason: '不属于本村' }),
      );
    }
    for (let i = 0; i < 30; i++) {
      send(`telemetry for another officer #${i}`, 'telemetry.report', {
        officerId: area.a.officers[1].id,
        status: 'patrol',
        lon: area.a.point[0],
        lat: area.a.point[1],
        heading: 0,
        at: Date.now(),
      });
    }
    for (let i = 0; i < 20; i++)
      send(`watermark from the future #${i}`, 'sync.catchUp', { after: 10_000_000 + i });
    for (let i = 0; i < 20; i++)
      send(`forged cursor #${i}`, 'sync.snapshot', { kind: 'cases', cursor: `not-a-cursor-${i}` });

    expect(sent.length).toBeGreaterThanOrEqual(1000);
    const acks = await Promise.all(sent.map((s) => s.ack));
    const problems: string[] = [];
    for (const [i, ack] of acks.entries()) {
      const what = sent[i].what;
      const rejectedCommand = ack.ok && (ack.data as { status?: string }).status === 'rejected';
      if (ack.ok && !rejectedCommand) problems.push(`${what}: accepted`);
      const error = ack.ok ? (ack.data as { code: string; reason: string }) : ack.error!;
      const message = 'reason' in error ? error.reason : (error as { message: string }).message;
      if (!error.code || !/^[A-Z_]+$/.test(error.code)) problems.push(`${what}: no stable error code`);
      if (!message || message.length < 8) problems.push(`${what}: no clear message`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    const codes = new Set(acks.map((a) => (a.ok ? (a.data as { code: string }).code : a.error!.code)));
    for (const code of ['BAD_REQUEST', 'OUT_OF_SCOPE', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNKNOWN_MESSAGE'])
      expect(codes).toContain(code);

    // Still up and still serving; nothing changed.
    const health = (await (await fetch(`${t.server.url}/api/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    expect(t.server.commands.store.count()).toBe(casesBefore);
    expect(stateHash()).toBe(before);
    const good = await village.command('report', reportPayload('AFTER-STORM', area.a.point));
    expect((good.data as { status: string }).status).toBe('accepted');
  });

  it('refuses connections with bad handshakes with a clear reason', async () => {
    const attempts: { auth: unknown; expect: RegExp }[] = [
      { auth: {}, expect: /BAD_HANDSHAKE/ },
      {
        auth: { token: 'x'.repeat(40), clientId: 'c1', protocolVersion: PROTOCOL_VERSION },
        expect: /UNAUTHORIZED/,
      },
      {
        auth: { token: 'x'.repeat(40), clientId: 'c1', protocolVersion: PROTOCOL_VERSION + 1 },
        expect: /PROTOCOL_MISMATCH/,
      },
      { auth: { token: 12, clientId: null, protocolVersion: 'one' }, expect: /BAD_HANDSHAKE/ },
    ];
    for (const a of attempts) {
      const socket = io(t.server.url, {
        auth: a.auth as Record<string, unknown>,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const message = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (e) => resolve(e.message));
      });
      socket.close();
      expect(message).toMatch(a.expect);
    }
  });

  it('refuses bad HTTP input with clear errors', async () => {
    const post = (
      path: string,
      body: string,
      type = 'application/json',
      headers: Record<string, string> = {},
    ) =>
      fetch(`${t.server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': type, ...headers },
        body,
      });
    expect((await post('/api/login', '{bad json')).status).toBe(400);
    expect(
      (await post('/api/login', JSON.stringify({ userName: 'admin', password: 'wrong-password' }))).status,
    ).toBe(401);
    expect(
      (await post('/api/login', JSON.stringify({ userName: 'nobody', password: 'whatever1' }))).status,
    ).toBe(401);
    expect((await post('/api/login', 'x'.repeat(100_000))).status).toBe(413);
    expect((await post('/api/login', 'userName=admin', 'application/x-www-form-urlencoded')).status).toBe(
      415,
    );
    expect((await post('/api/photos', 'GIF89a', 'image/png')).status).toBe(401);
    const token = await login(t.server, `${area.a.villageCode}.operator`);
    const auth = { authorization: `Bearer ${token}` };
    const fake = await post('/api/photos', 'not an image at all', 'image/png', auth);
    expect(fake.status).toBe(415);
    expect(((await fake.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_TYPE');
    expect((await fetch(`${t.server.url}/api/photos/${'0'.repeat(64)}`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${t.server.url}/api/nothing`)).status).toBe(404);
  });

  it('answers a JSON refusal the same way on every route: envelope, length, never cached or sniffed', async () => {
    const refusals: [string, number, string][] = [
      ['/api/%', 400, 'BAD_REQUEST'], // the request target itself (server.ts)
      ['/api/places', 401, 'UNAUTHORIZED'], // the HTTP API
      ['/api/alerts', 401, 'UNAUTHORIZED'], // the alert routes
      ['/live/CAM1/stream.mp4', 401, 'UNAUTHORIZED'], // the video routes
    ];
    for (const [path, status, code] of refusals) {
      const res = await fetch(`${t.server.url}${path}`);
      const text = await res.text();
      expect(res.status, path).toBe(status);
      const body = JSON.parse(text) as { ok: boolean; error: { code: string; message: unknown } };
      expect({ ok: body.ok, code: body.error.code, message: typeof body.error.message }, path).toEqual({
        ok: false,
        code,
        message: 'string',
      });
      expect(
        {
          type: res.headers.get('content-type'),
          length: res.headers.get('content-length'),
          cache: res.headers.get('cache-control'),
          sniff: res.headers.get('x-content-type-options'),
        },
        path,
      ).toEqual({
        type: 'application/json; charset=utf-8',
        length: String(Buffer.byteLength(text)),
        cache: 'no-store',
        sniff: 'nosniff',
      });
    }
  });
});
