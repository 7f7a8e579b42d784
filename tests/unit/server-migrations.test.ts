// One test per migration of the server store (Signal-Desktop style), on an in-memory database.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-server/store/migrations';
import { migrate, openDatabase, schemaVersion } from '../../src-server/store/database';

const tables = (db: ReturnType<typeof openDatabase>): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('server migrations', () => {
  it('numbers migrations 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('0001 initial: creates the store and an append-only event log', () => {
    const db = openDatabase({ file: ':memory:' });
    expect(migrate(db, MIGRATIONS, 1)).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'meta',
        'divisions',
        'grids',
        'officers',
        'cameras',
        'users',
        'sessions',
        'cases',
        'events',
        'commands',
        'photos',
        'officer_positions',
      ]),
    );
    db.prepare(
      "INSERT INTO events (seq, case_id, type, town_code, village_code, grid_code, server_time, json) VALUES (1, 'C', 'case.reported', 't', 'v', 'g', 0, '{}')",
    ).run();
    expect(() => db.prepare('UPDATE events SET json = ? WHERE seq = 1').run('{"x":1}')).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    // STRICT tables refuse wrongly typed values.
    expect(() =>
      db
        .prepare(
          "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h', 'u', 'yesterday', 0)",
        )
        .run(),
    ).toThrow(/datatype|cannot store/i);
  });

  it('is idempotent and refuses a database from a newer server', () => {
    const db = openDatabase({ file: ':memory:' });
    migrate(db);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this server/);
  });

  it('leaves the previous version intact when a migration fails', () => {
    const db = openDatabase({ file: ':memory:' });
    const broken = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'broken',
        up: (d: typeof db) => d.exec('CREATE TABLE x (a); SELECT * FROM no_such_table;'),
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(tables(db)).not.toContain('x');
  });

  it('0002 inspections: adds the inspection tables to a version-1 store, with their keys and rules', () => {
    const db = openDatabase({ file: ':memory:' });
    expect(migrate(db, MIGRATIONS, 1)).toBe(1);
    expect(tables(db).some((t) => t.startsWith('inspection_'))).toBe(false);
    expect(migrate(db, MIGRATIONS, 2)).toBe(2);
    expect(tables(db).filter((t) => t.startsWith('inspection_'))).toEqual([
      'inspection_months',
      'inspection_orders',
      'inspection_place_tiers',
      'inspection_regrades',
      'inspection_settings',
    ]);
    // A month is generating or ready, nothing else.
    const month = db.prepare(
      'INSERT INTO inspection_months (month, status, orders, settings, started_at) VALUES (?, ?, 0, ?, 0)',
    );
    month.run(202612, 'generating', '{}');
    expect(() => month.run(202701, 'half-done', '{}')).toThrow(/CHECK/);
    // Work orders are keyed (month, grid_idx, place, visit): one row per visit, and a grid's orders
    // of a month are one range of the primary key (no secondary index).
    const order = db.prepare(
      `INSERT INTO inspection_orders (month, grid_idx, place, visit, visits, kind, tier, planned_day, due_day, close_day)
       VALUES (?, ?, ?, ?, 2, 1, 1, 0, 0, 0)`,
    );
    order.run(202612, 7, 100, 1);
    order.run(202612, 7, 100, 2);
    expect(() => order.run(202612, 7, 100, 1)).toThrow(/UNIQUE|PRIMARY/);
    const plan = (
      db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT * FROM inspection_orders WHERE month = ? AND grid_idx BETWEEN ? AND ?',
        )
        .all(202612, 0, 9) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('; ');
    expect(plan).toMatch(/SEARCH inspection_orders USING PRIMARY KEY/);
    // Re-grading: one pending proposal per place at a time; a decided one does not block the next.
    const regrade = db.prepare(
      `INSERT INTO inspection_regrades (place, grid_idx, grid_code, from_tier, to_tier, hazards, clean_visits, reason, proposed_at, status)
       VALUES (?, 7, 'g', 1, 2, 1, 0, 'r', 0, ?)`,
    );
    regrade.run(100, 'pending');
    expect(() => regrade.run(100, 'pending')).toThrow(/UNIQUE/);
    expect(() => regrade.run(101, 'maybe')).toThrow(/CHECK/);
    db.prepare("UPDATE inspection_regrades SET status = 'approved' WHERE place = 100").run();
    regrade.run(100, 'pending');
    // IF NOT EXISTS: a development store that made these tables at start migrates without harm.
    const dev = openDatabase({ file: ':memory:' });
    migrate(dev, MIGRATIONS, 1);
    dev.exec(
      'CREATE TABLE inspection_settings (city_code TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT',
    );
    dev.prepare("INSERT INTO inspection_settings VALUES ('4419', '{}', 1)").run();
    expect(migrate(dev, MIGRATIONS, 2)).toBe(2);
    expect(dev.prepare('SELECT city_code FROM inspection_settings').pluck().all()).toEqual(['4419']);
  });

  it('0003 jurisdiction: stored answers carry the request digest', () => {
    const db = openDatabase({ file: ':memory:' });
    migrate(db, MIGRATIONS, 2);
    const cols = () =>
      (db.prepare('PRAGMA table_info(commands)').all() as { name: string }[]).map((c) => c.name);
    expect(cols()).not.toContain('request_digest');
    migrate(db, MIGRATIONS, 3);
    expect(cols()).toContain('request_digest');
  });

  it('0004 alerts and case numbers: one counter per day and town, alerts keyed by id', () => {
    const db = openDatabase({ file: ':memory:' });
    migrate(db, MIGRATIONS, 4);
    expect(tables(db)).toEqual(expect.arrayContaining(['alerts', 'case_number_seq']));
    const next = db.prepare(
      `INSERT INTO case_number_seq (day, town_code, last) VALUES (?, ?, 1)
       ON CONFLICT (day, town_code) DO UPDATE SET last = last + 1 RETURNING last`,
    );
    expect(next.get('20261207', '441900106')).toEqual({ last: 1 });
    expect(next.get('20261207', '441900106')).toEqual({ last: 2 });
    expect(next.get('20261207', '441900107')).toEqual({ last: 1 });
    expect(next.get('20261208', '441900106')).toEqual({ last: 1 });
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as {
      name: string;
    }[];
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['alerts_raised', 'cases_number']));
  });
});
