// One test per migration of the console's two files (cache.sqlite, outbox.sqlite).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CACHE_MIGRATIONS, OUTBOX_MIGRATIONS } from '../../src-main/data/migrations';
import { CacheStore } from '../../src-main/data/cache-store';
import { OutboxStore } from '../../src-main/data/outbox-store';
import { CorruptDatabaseError, runMigrations } from '../../src-main/data/sqlite';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';

const tables = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
const dir = (): string => mkdtempSync(join(tmpdir(), 'gc-mig-'));

describe('cache migrations', () => {
  it('are numbered 1..n', () => {
    expect(CACHE_MIGRATIONS.map((m) => m.version)).toEqual(CACHE_MIGRATIONS.map((_, i) => i + 1));
  });

  it('0001 initial: reference tables, cases, the local log and positions', () => {
    const db = new Database(':memory:');
    expect(runMigrations(db, CACHE_MIGRATIONS.slice(0, 1), ':memory:')).toBe(1);
    expect(tables(db)).toEqual([
      'cameras',
      'cases',
      'categories',
      'departments',
      'divisions',
      'events',
      'grids',
      'meta',
      'officers',
      'positions',
    ]);
    db.prepare(
      "INSERT INTO events (seq, case_id, type, server_time, json) VALUES (1, 'C', 't', 0, '{}')",
    ).run();
    expect(() =>
      db
        .prepare("INSERT INTO events (seq, case_id, type, server_time, json) VALUES (1, 'C', 't', 0, '{}')")
        .run(),
    ).toThrow(/UNIQUE|PRIMARY/);
  });

  it('0002 map columns and tracks: backfills cases from their JSON; CacheStore writes keep them filled', () => {
    const db = new Database(':memory:');
    runMigrations(db, CACHE_MIGRATIONS.slice(0, 1), ':memory:');
    const c = {
      id: 'C1',
      state: 'dispatched',
      lon: 113.75,
      lat: 23.02,
      priority: 'urgent',
      categoryCode: '01001',
      reportedAt: 1_700_000_000_000,
      dueAt: 1_700_000_360_000,
    };
    db.prepare(
      `INSERT INTO cases (id, state, grid_code, village_code, town_code, holder_code, version, json)
       VALUES ('C1', 'dispatched', '441900003001001', '441900003001', '441900003', '441900003001', 3, ?)`,
    ).run(JSON.stringify(c));
    db.prepare(
      `INSERT INTO cases (id, state, grid_code, village_code, town_code, holder_code, version, json)
       VALUES ('C2', 'reported', 'g', 'v', 't', 'h', 1, ?)`,
    ).run(JSON.stringify({ ...c, id: 'C2', dueAt: null }));
    expect(runMigrations(db, CACHE_MIGRATIONS.slice(0, 2), ':memory:')).toBe(2);
    expect(tables(db)).toContain('tracks');
    expect(
      db.prepare('SELECT lon, lat, priority, category, reported_at, due_at FROM cases ORDER BY id').all(),
    ).toEqual([
      {
        lon: 113.75,
        lat: 23.02,
        priority: 'urgent',
        category: '01001',
        reported_at: c.reportedAt,
        due_at: c.dueAt,
      },
      {
        lon: 113.75,
        lat: 23.02,
        priority: 'urgent',
        category: '01001',
        reported_at: c.reportedAt,
        due_at: null,
      },
    ]);
    db.prepare("INSERT INTO tracks (officer_id, at, lon, lat) VALUES ('OF1', 1, 113.7, 23.0)").run();
    expect(() =>
      db.prepare("INSERT INTO tracks (officer_id, at, lon, lat) VALUES ('OF1', 1, 113.8, 23.1)").run(),
    ).toThrow(/UNIQUE|PRIMARY/);
    expect(() =>
      db.prepare("INSERT INTO tracks (officer_id, at, lon, lat) VALUES ('OF1', 2, 'east', 23.1)").run(),
    ).toThrow(/cannot store TEXT value in REAL column/);
    // Lookups and pruning by officer and time seek the primary key, they do not scan.
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan("SELECT * FROM tracks WHERE officer_id = 'OF1' AND at BETWEEN 0 AND 9")).toMatch(
      /PRIMARY KEY/,
    );
    expect(plan("DELETE FROM tracks WHERE officer_id = 'OF1' AND at < 5")).toMatch(
      /SEARCH tracks USING PRIMARY KEY/,
    );

    // Through CacheStore (file, all migrations): a write fills the columns, a newer version updates them.
    const store = CacheStore.open(join(dir(), 'cache.sqlite'));
    const full: Case = {
      ...c,
      state: 'dispatched',
      priority: 'urgent',
      id: 'C9',
      categoryCode: '02003',
      source: 'patrol',
      description: '',
      address: '',
      gridCode: '441900003001001',
      villageCode: '441900003001',
      townCode: '441900003',
      holderCode: '441900003001',
      reporterId: 'OF1',
      assignee: null,
      assignedBy: null,
      assignedAt: null,
      handlerId: null,
      selfHandled: false,
      supervised: false,
      reworkCount: 0,
      photos: [],
      afterPhotos: [],
      suspensions: [],
      stateBeforeSuspend: null,
      registeredAt: null,
      dispatchedAt: null,
      feedbackAt: null,
      closedAt: null,
      voidedAt: null,
      version: 1,
    };
    store.putCaseIfNewer(full);
    store.putCaseIfNewer({ ...full, version: 2, lon: 113.8, priority: 'emergency', dueAt: null });
    store.putCaseIfNewer({ ...full, version: 1, lon: 0 }); // older: ignored
    expect(store.mapCaseRowsOf(['C9', 'nope'])).toEqual([
      [
        'C9',
        'dispatched',
        113.8,
        23.02,
        'emergency',
        '02003',
        '441900003001001',
        c.reportedAt,
        null,
        2,
        full.number ?? null,
      ],
    ]);
    store.close();
  });

  it('refuses a file from a newer console, and a file that is not a database', () => {
    const d = dir();
    const file = join(d, 'cache.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${CACHE_MIGRATIONS.length + 5}`);
    db.close();
    expect(() => CacheStore.open(file)).toThrow(CorruptDatabaseError);
    const junk = join(d, 'junk.sqlite');
    writeFileSync(junk, 'this is not sqlite at all, just text that is long enough to look like a header');
    expect(() => CacheStore.open(junk)).toThrow(CorruptDatabaseError);
  });
});

describe('outbox migrations', () => {
  it('are numbered 1..n', () => {
    expect(OUTBOX_MIGRATIONS.map((m) => m.version)).toEqual(OUTBOX_MIGRATIONS.map((_, i) => i + 1));
  });

  it('0001 initial: the outbox with statuses constrained, on synchronous=FULL', () => {
    const d = dir();
    const store = OutboxStore.open(join(d, 'outbox.sqlite'));
    expect(tables(store.db)).toEqual(expect.arrayContaining(['meta', 'outbox']));
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(OUTBOX_MIGRATIONS).toHaveLength(2);
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO outbox (command_id, type, case_id, command, status, created_at) VALUES ('x', 't', 'c', '{}', 'lost', 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
    const cmd = {
      commandId: uuidv7(),
      clientId: 'c1',
      type: 'verify' as const,
      payload: { caseId: 'C1' },
      baseVersion: 1,
      clientTime: 0,
    };
    store.enqueue(cmd, null, 1);
    expect(() => store.enqueue(cmd, null, 2)).toThrow(/UNIQUE/);
    expect(store.pending().map((e) => e.commandId)).toEqual([cmd.commandId]);
    store.close();
  });

  it('0002 hold-until: an outbox from before keeps its rows (sent at once); a held one can be withdrawn only in its window', () => {
    const d = dir();
    const file = join(d, 'outbox.sqlite');
    const old = new Database(file);
    expect(runMigrations(old, OUTBOX_MIGRATIONS.slice(0, 1), file)).toBe(1);
    old
      .prepare(
        "INSERT INTO outbox (command_id, type, case_id, command, status, created_at) VALUES ('old', 'verify', 'C0', ?, 'pending', 0)",
      )
      .run(JSON.stringify({ commandId: 'old', payload: { caseId: 'C0' } }));
    old.close();
    const store = OutboxStore.open(file);
    expect(store.get('old')).toMatchObject({ status: 'pending', holdUntil: null });
    expect(store.withdraw('old', 1)).toBe('sent'); // not held: it may be on the wire
    const cmd = (id: string, caseId: string) => ({
      commandId: id,
      clientId: 'c1',
      type: 'dispatch' as const,
      payload: { caseId, assignee: { kind: 'officer' as const, id: 'OF1' } },
      baseVersion: 2,
      clientTime: 0,
    });
    store.enqueue(cmd('h1', 'C1'), null, 1_000, 6_000);
    expect(store.get('h1')?.holdUntil).toBe(6_000);
    expect(store.withdraw('h1', 6_000)).toBe('sent'); // the window is over
    store.enqueue(cmd('h2', 'C2'), null, 1_000, 6_000);
    store.enqueue(cmd('h3', 'C2'), null, 1_001, 6_001);
    expect(store.withdraw('h2', 2_000)).toBe('later-actions');
    expect(store.withdraw('h3', 2_000)).toBe('withdrawn');
    expect(store.withdraw('h2', 2_000)).toBe('withdrawn');
    expect(store.withdraw('h2', 2_000)).toBe('unknown');
    expect(store.pending().map((e) => e.commandId)).toEqual(['old', 'h1']);
    store.close();
  });

  it('keeps a stable client id per installation', () => {
    const d = dir();
    const a = OutboxStore.open(join(d, 'outbox.sqlite'));
    const id = a.clientId(() => 'console-first');
    a.close();
    const b = OutboxStore.open(join(d, 'outbox.sqlite'));
    expect(b.clientId(() => 'console-second')).toBe(id);
    b.close();
  });
});
