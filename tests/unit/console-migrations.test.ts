// One test per migration of the console's two files (cache.sqlite, outbox.sqlite).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CACHE_MIGRATIONS } from '../../src-main/data/cache-migrations';
import { CacheStore } from '../../src-main/data/cache-store';
import { OUTBOX_MIGRATIONS, OutboxStore } from '../../src-main/data/outbox-store';
import { CorruptDatabaseError, runMigrations } from '../../src-main/data/sqlite';
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
  it('0001 initial: the outbox with statuses constrained, on synchronous=FULL', () => {
    const d = dir();
    const store = OutboxStore.open(join(d, 'outbox.sqlite'));
    expect(tables(store.db)).toEqual(expect.arrayContaining(['meta', 'outbox']));
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(OUTBOX_MIGRATIONS).toHaveLength(1);
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
