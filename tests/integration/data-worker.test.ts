// The data services run in a worker thread: main only forwards calls and receives changes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataClient } from '../../src-main/data/data-client';
import type { SyncChange } from '../../src-main/data/sync-engine';
import {
  isPreEncoded,
  type MapBaseView,
  type PreEncoded,
  type ReferenceView,
} from '../../src-shared/ipc/contract';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { newConsoleDir } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let client: DataClient;
const dataDir = newConsoleDir();
const changes: SyncChange[] = [];

beforeAll(async () => {
  t = await startTestServer();
  client = new DataClient({
    dataDir,
    serverUrl: t.server.url,
    workerFile: resolve(import.meta.dirname, '../../src-main/data/data-worker.ts'),
    sessionKey: Buffer.alloc(32, 3).toString('base64'),
    secretKind: 'test-key',
    onChange: (c) => changes.push(c),
  });
});

afterAll(async () => {
  await client?.close();
  await t?.dispose();
});

it('logs in, syncs and queues through the worker, reporting changes to main', async () => {
  const area = pickArea(t.server, 2);
  const login = await client.call('session.login', `${area.townCode}.dispatcher`, DEMO_PASSWORD);
  expect(login.seat.scopeCode).toBe(area.townCode);
  await expect
    .poll(() => changes.some((c) => c.kind === 'connection' && c.state.status === 'online'), {
      timeout: 20_000,
    })
    .toBe(true);
  const encoded = await client.call('map.reference');
  // The worker answers the reference lists as JSON text (PreEncoded), spliced as-is by the web host.
  expect(isPreEncoded(encoded)).toBe(true);
  const ref = JSON.parse((encoded as PreEncoded<ReferenceView>).$json) as ReferenceView;
  expect(ref.grids.length).toBeGreaterThan(10);
  expect(ref.grids.every((g) => g.townCode === area.townCode)).toBe(true);
  // map.base (the map's first frame): the same lists but the officers' and cameras' objects.
  const base = await client.call('map.base');
  expect(isPreEncoded(base)).toBe(true);
  const { officers, cameras, ...rest } = ref;
  expect(officers.length).toBeGreaterThan(0);
  expect(cameras.length).toBeGreaterThan(0);
  expect(JSON.parse((base as PreEncoded<MapBaseView>).$json)).toEqual(rest);
  const queued = await client.call('cases.act', 'report', reportPayload('W-1', area.a.point), null);
  expect(queued).toMatchObject({ caseId: 'W-1', status: 'pending' });
  await expect
    .poll(async () => (await client.call('cases.get', 'W-1')).actions[0]?.status, { timeout: 20_000 })
    .toBe('confirmed');
  expect(changes.some((c) => c.kind === 'cases' && c.ids.includes('W-1'))).toBe(true);
  expect((await client.call('session.current'))?.scopeCode).toBe(area.townCode);
  // The token is sealed at rest: session.json does not contain it in clear.
  const session = readFileSync(join(dataDir, 'session.json'), 'utf8');
  expect(session).toContain('"secretKind":"test-key"');
  const token = t.server.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number };
  expect(token.n).toBeGreaterThan(0);
  expect(session).not.toMatch(/"sealedToken":"[A-Za-z0-9_-]{43}"/);
  // A refusal keeps its code across the thread (CallError → { code } → the call router).
  await expect(client.call('cases.act', 'teleport' as never, {}, null)).rejects.toMatchObject({
    code: 'BAD_REQUEST',
  });
});

it('lists the actions not answered yet (outbox.pending): a held one until it is undone', async () => {
  const area = pickArea(t.server, 2);
  const held = await client.call('cases.act', 'report', reportPayload('W-HOLD', area.a.point), null, 30_000);
  expect(held.holdUntil).toBeGreaterThan(Date.now());
  const pending = await client.call('outbox.pending');
  expect(pending.map((a) => [a.caseId, a.type, a.status])).toEqual([['W-HOLD', 'report', 'pending']]);
  expect(await client.call('cases.undo', held.commandId)).toBe('withdrawn');
  expect(await client.call('outbox.pending')).toEqual([]);
});
