// A seat's cold start from its cache (issue 19), on real SQLite files against a real server: the
// map of the last clean close is answered from one file (map-start-file.ts) only while it is the
// cache's as it is, and the cache's integrity check runs after the start without letting damage
// through.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAP_START_FILE, readMapStart, writeMapStart } from '../../src-main/data/map-start-file';
import type { MapSnapshot } from '../../src-shared/ipc/map-data';
import { loginConsole, openConsole, settled, type TestConsoleApp } from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const open: TestConsoleApp[] = [];

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server, 3);
});

afterAll(async () => {
  for (const app of open) await app.service.close();
  await t?.dispose();
});

/** The seat's folder (the only one under seats/ of a console that one seat used). */
const seatDir = (dataDir: string): string => {
  const seats = readdirSync(join(dataDir, 'seats'));
  expect(seats).toHaveLength(1);
  return join(dataDir, 'seats', seats[0]);
};

/** A town seat that logged in here, synced and closed cleanly. */
async function usedConsole(): Promise<{ dataDir: string; snapshot: MapSnapshot; reference: string }> {
  const app = await loginConsole(t.server, `${area.townCode}.dispatcher`);
  await settled(app);
  const snapshot = app.service.mapSnapshot();
  const reference = app.service.referenceJson();
  await app.service.close();
  return { dataDir: app.dataDir, snapshot, reference };
}

async function resumed(dataDir: string): Promise<TestConsoleApp> {
  const app = openConsole(t.server, dataDir);
  open.push(app);
  const r = await app.service.resume();
  if (!r.ok) throw new Error(r.error.message);
  return app;
}

async function closed(app: TestConsoleApp): Promise<void> {
  open.splice(open.indexOf(app), 1);
  await app.service.close();
}

/** The stored map, with a case id no cache holds put first: seen only when the file answered. */
function plantMarkedFile(dataDir: string, token?: string): void {
  const file = join(seatDir(dataDir), MAP_START_FILE);
  const start = readMapStart(file);
  expect(start).not.toBeNull();
  const ids = [...start!.snapshot.cases.ids];
  ids[0] = 'MARK-FROM-FILE';
  writeMapStart(file, {
    ...start!,
    token: token ?? start!.token,
    snapshot: { ...start!.snapshot, cases: { ...start!.snapshot.cases, ids } },
  });
}

const tokenInCache = (dataDir: string): string => {
  const db = new Database(join(seatDir(dataDir), 'cache.sqlite'), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'map_start_token'").get() as { value: string })
      .value;
  } finally {
    db.close();
  }
};

describe('the map of the last clean close', () => {
  it('answers the next start’s first map.reference and map.snapshot exactly as the cache would', async () => {
    const used = await usedConsole();
    expect(readMapStart(join(seatDir(used.dataDir), MAP_START_FILE))?.token).toBe(tokenInCache(used.dataDir));
    plantMarkedFile(used.dataDir);
    const app = await resumed(used.dataDir);
    const first = app.service.mapSnapshot();
    // From the file (the planted id), and otherwise what the cache built before the close.
    expect(first.cases.ids[0]).toBe('MARK-FROM-FILE');
    expect({ ...first, cases: { ...first.cases, ids: used.snapshot.cases.ids } }).toEqual(used.snapshot);
    expect(app.service.referenceJson()).toBe(used.reference);
    // The start took the token out of the cache: after a crash from here the file is not trusted.
    expect(tokenInCache(used.dataDir)).toBe('');
    expect(used.snapshot.cases.count).toBeGreaterThan(0);
    await closed(app);
  });

  it('is left for the cache once anything changed since the start: a queued action shows at once', async () => {
    const used = await usedConsole();
    plantMarkedFile(used.dataDir);
    const app = await resumed(used.dataDir);
    expect(app.service.queue('report', reportPayload('START-Q1', area.a.point)).ok).toBe(true);
    const after = app.service.mapSnapshot();
    expect(after.cases.ids).not.toContain('MARK-FROM-FILE');
    const q = after.cases.ids.indexOf('START-Q1');
    expect(q).toBeGreaterThanOrEqual(0);
    expect(after.cases.pending[q]).toBe(1);
    await settled(app);
    await closed(app);
    // That close stored the map with the confirmed case for the start after.
    const next = await resumed(used.dataDir);
    const stored = next.service.mapSnapshot();
    expect(stored.cases.ids).toContain('START-Q1');
    expect(stored.cases.pending[stored.cases.ids.indexOf('START-Q1')]).toBe(0);
    await closed(next);
  });

  it('is not used when its token is not the cache’s, or when it is damaged', async () => {
    const used = await usedConsole();
    plantMarkedFile(used.dataDir, 'a-token-this-cache-never-had');
    const foreign = await resumed(used.dataDir);
    const built = foreign.service.mapSnapshot();
    expect(built.cases.ids).not.toContain('MARK-FROM-FILE');
    expect(built).toEqual(used.snapshot);
    await closed(foreign);

    plantMarkedFile(used.dataDir); // the token the last close put in the cache
    const file = join(seatDir(used.dataDir), MAP_START_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0x01;
    writeFileSync(file, bytes);
    const damaged = await resumed(used.dataDir);
    expect(damaged.service.mapSnapshot()).toEqual(used.snapshot);
    await closed(damaged);
  });
});
