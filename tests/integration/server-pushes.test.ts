// Pushes from the server are validated by their schema (SERVER_PUSHES) in the console: a
// malformed or unknown push is logged and ignored, and the sync goes on — the next real event
// is applied and the cache ends where the server's log is.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataService } from '../../src-main/data/data-service';
import type { SyncChange } from '../../src-main/data/sync-engine';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { newConsoleDir, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { connectConsole, login, startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let app: TestConsoleApp;
const logs: string[] = [];
const changes: SyncChange[] = [];

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await app?.service.close();
  await t?.dispose();
});

it('logs and ignores malformed and unknown pushes, and keeps following the live feed', async () => {
  const area = pickArea(t.server, 3);
  const service = new DataService({
    dataDir: newConsoleDir(),
    serverUrl: t.server.url,
    requestTimeoutMs: 5_000,
    retryDelayMs: 50,
    reconnectDelayMs: 50,
    log: (line) => logs.push(line),
    onChange: (c) => changes.push(c),
  });
  app = { service, dataDir: '', link: null };
  const started = await service.login(`${area.a.villageCode}.operator`, DEMO_PASSWORD);
  expect(started.ok).toBe(true);
  await settled(app);
  const engine = service.syncEngine!;
  const cache = service.cacheStore!;
  const watermark = cache.watermark;
  const positionsBefore = changes.filter((c) => c.kind === 'positions').length;

  // A server that sends what the protocol does not allow (to every socket: the console's too).
  const io = t.server.gateway.io;
  io.emit('event', { prevSeq: 'seven', event: {} });
  // Continues the watermark exactly, but the event is not an event: must not be applied.
  io.emit('event', { prevSeq: watermark, event: { seq: watermark + 1, caseId: 'BOGUS-1' } });
  io.emit('telemetry.batch', { fixes: [{ officerId: area.a.officers[0].id, lon: 'east' }], at: Date.now() });
  io.emit('cases.purge', { all: true });

  await expect.poll(() => engine.stats.pushesIgnored, { timeout: 10_000 }).toBe(4);
  const ignored = logs.filter((l) => l.startsWith('ignored push'));
  expect(ignored).toHaveLength(4);
  expect(ignored[0]).toMatch(/^ignored push "event" from the server: prevSeq: /);
  expect(ignored[1]).toMatch(/^ignored push "event" from the server: event\./);
  expect(ignored[2]).toMatch(/^ignored push "telemetry.batch" from the server: fixes\.0\./);
  expect(ignored[3]).toBe('ignored push "cases.purge" from the server: unknown push');
  // Nothing of them reached the cache or the map, and the link stayed up.
  expect(cache.watermark).toBe(watermark);
  expect(cache.getCase('BOGUS-1')).toBeNull();
  expect(changes.filter((c) => c.kind === 'positions')).toHaveLength(positionsBefore);
  expect(engine.connection.status).toBe('online');
  expect(engine.stats.gaps).toBe(0);

  // The sync goes on: another seat reports a case in this village; the live push brings it.
  const other = await connectConsole(t.server, await login(t.server, `${area.townCode}.dispatcher`));
  try {
    const ack = await other.command('report', reportPayload('PUSH-1', area.a.point));
    expect(ack.ok).toBe(true);
    await expect.poll(() => cache.getCase('PUSH-1')?.id ?? null, { timeout: 10_000 }).toBe('PUSH-1');
    expect(cache.watermark).toBe(t.server.events.lastSeqOf(area.a.villageCode));
    expect(engine.stats.pushesApplied).toBeGreaterThan(0);
    expect(cache.getCase('PUSH-1')).toEqual(t.server.commands.store.get('PUSH-1'));
  } finally {
    other.close();
  }
});
