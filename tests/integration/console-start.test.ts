// A seat's cold start from its cache, on real SQLite files against a real server: the
// map of the last clean close is answered from one file (map-start-file.ts) only while it is the
// cache's as it is, and the cache's integrity check runs after the start without letting damage
// through.
import {
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAP_START_FILE, readMapStart, writeMapStart } from '../../src-main/data/map-start-file';
import type { MapSnapshot } from '../../src-shared/ipc/map-data';
import { DataService } from '../../src-main/data/data-service';
import {
  loginConsole,
  openConsole,
  settled,
  testSecrets,
  type TestConsoleApp,
} from '../support/console-harness';
import { pickArea, reportPayload } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const open: TestConsoleApp[] = [];

beforeAll(async () => {
  t = await startTestServer();
  // A town with open cases at this instant: under a pinned clock (2026-12-01 09:00) the small
  // dataset's fourth town had none, and the stored map would hold no case to compare.
  const openIn = (town: string): number =>
    (
      t.server.db
        .prepare("SELECT count(*) AS n FROM cases WHERE town_code = ? AND state NOT IN ('closed', 'voided')")
        .get(town) as { n: number }
    ).n;
  area = pickArea(t.server, 3);
  for (let k = 4; openIn(area.townCode) === 0 && k < 30; k++) {
    try {
      area = pickArea(t.server, k);
    } catch {
      // a town whose villages have no grid with a team of three: not a candidate
    }
  }
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
async function usedConsole(): Promise<{
  dataDir: string;
  snapshot: MapSnapshot;
  reference: string;
  base: string;
  counts: number;
}> {
  const app = await loginConsole(t.server, `${area.townCode}.dispatcher`);
  await settled(app);
  const snapshot = app.service.map.snapshot();
  const reference = app.service.map.referenceJson();
  const base = app.service.map.baseJson();
  const counts = app.service.cacheStore!.counts().cases;
  await app.service.close();
  return { dataDir: app.dataDir, snapshot, reference, base, counts };
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
    const first = app.service.map.snapshot();
    // From the file (the planted id), and otherwise what the cache built before the close.
    expect(first.cases.ids[0]).toBe('MARK-FROM-FILE');
    expect({ ...first, cases: { ...first.cases, ids: used.snapshot.cases.ids } }).toEqual(used.snapshot);
    expect(app.service.map.baseJson()).toBe(used.base);
    expect(app.service.map.referenceJson()).toBe(used.reference);
    // The start took the token out of the cache: after a crash from here the file is not trusted.
    expect(tokenInCache(used.dataDir)).toBe('');
    expect(used.snapshot.cases.count).toBeGreaterThan(0);
    await closed(app);
  });

  it('is left for the cache once anything changed since the start: a queued action shows at once', async () => {
    const used = await usedConsole();
    plantMarkedFile(used.dataDir);
    const app = await resumed(used.dataDir);
    expect(app.service.cases.queue('report', reportPayload('START-Q1', area.a.point)).ok).toBe(true);
    const after = app.service.map.snapshot();
    expect(after.cases.ids).not.toContain('MARK-FROM-FILE');
    const q = after.cases.ids.indexOf('START-Q1');
    expect(q).toBeGreaterThanOrEqual(0);
    expect(after.cases.pending[q]).toBe(1);
    await settled(app);
    await closed(app);
    // That close stored the map with the confirmed case for the start after.
    const next = await resumed(used.dataDir);
    const stored = next.service.map.snapshot();
    expect(stored.cases.ids).toContain('START-Q1');
    expect(stored.cases.pending[stored.cases.ids.indexOf('START-Q1')]).toBe(0);
    await closed(next);
  });

  it('is not used when its token is not the cache’s, or when it is damaged', async () => {
    const used = await usedConsole();
    plantMarkedFile(used.dataDir, 'a-token-this-cache-never-had');
    const foreign = await resumed(used.dataDir);
    const built = foreign.service.map.snapshot();
    expect(built.cases.ids).not.toContain('MARK-FROM-FILE');
    expect(built).toEqual(used.snapshot);
    await closed(foreign);

    plantMarkedFile(used.dataDir); // the token the last close put in the cache
    const file = join(seatDir(used.dataDir), MAP_START_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0x01;
    writeFileSync(file, bytes);
    const damaged = await resumed(used.dataDir);
    expect(damaged.service.map.snapshot()).toEqual(used.snapshot);
    await closed(damaged);
  });
});

/** Garbage over the middle pages of a closed cache file: its header and meta stay readable. */
function damagePages(file: string): void {
  const db = new Database(file);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const pages = statSync(file).size / pageSize;
  expect(pages).toBeGreaterThan(40);
  const fd = openSync(file, 'r+');
  try {
    for (let p = Math.floor(pages / 2); p < Math.floor(pages / 2) + 8; p++)
      writeSync(fd, Buffer.alloc(pageSize - 64, 0x5a), 0, pageSize - 64, p * pageSize + 32);
  } finally {
    closeSync(fd);
  }
}

describe('the cache integrity check after the start', () => {
  it('finds damage the open did not look for, after the map is answered, and moves the cache aside and refills it', async () => {
    const used = await usedConsole();
    const seat = seatDir(used.dataDir);
    const cacheFile = join(seat, 'cache.sqlite');
    expect(existsSync(`${cacheFile}-wal`)).toBe(false); // checkpointed at close: all pages in the file
    damagePages(cacheFile);
    const check = new Database(cacheFile, { readonly: true });
    expect(check.pragma('quick_check', { simple: true })).not.toBe('ok');
    check.close();

    const logs: string[] = [];
    const service = new DataService({
      dataDir: used.dataDir,
      secrets: testSecrets,
      serverUrl: t.server.url,
      requestTimeoutMs: 5_000,
      retryDelayMs: 50,
      reconnectDelayMs: 50,
      cacheCheckDelayMs: 60_000,
      log: (line) => logs.push(line),
    });
    const watched: TestConsoleApp = { service, dataDir: used.dataDir, link: null };
    open.push(watched);
    const r = await service.resume();
    // The start did not wait for the check: the seat is in, the map is the stored one.
    expect(r.ok && r.data.cacheRebuilt).toBe(null);
    expect(service.map.snapshot()).toEqual(used.snapshot);
    // Asking for the map let the check run (well before its 60 s timer).
    const deadline = Date.now() + 30_000;
    while (!readdirSync(seat).some((f) => /^cache\.sqlite\.corrupt-\d+$/.test(f))) {
      if (Date.now() > deadline) throw new Error(`no cache moved aside; log: ${logs.join(' | ')}`);
      await new Promise((done) => setTimeout(done, 20));
    }
    expect(logs.some((l) => l.startsWith('cache damaged, found after the start'))).toBe(true);
    await settled(watched, 30_000);
    expect(service.cacheStore!.counts().cases).toBe(used.counts);
    expect(service.map.snapshot()).toEqual(used.snapshot);
    // The damaged file is not trusted for the next start's map either.
    await closed(watched);
    const next = await resumed(used.dataDir);
    expect(next.service.map.snapshot()).toEqual(used.snapshot);
    await closed(next);
  });
});
