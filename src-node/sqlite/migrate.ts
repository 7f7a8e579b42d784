// Numbered SQLite migrations driven by PRAGMA user_version (Signal-Desktop style), for every
// SQLite file of the console (cache.sqlite, outbox.sqlite) and of the server (server.sqlite):
// each migration runs in its own transaction, so a failed one leaves the previous version intact.
import type Database from 'better-sqlite3';

export type Db = Database.Database;

/** One step of a schema. Its version is its position in the list (1-based). Never edit a shipped one: add one. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

/** The connection settings both sides use: WAL, foreign keys, a 5 s busy wait. */
export function configureSqlite(db: Db, synchronous: 'NORMAL' | 'FULL'): void {
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export interface MigrateOptions {
  /** Stop after this version (tests of a single migration); default: all. */
  upTo?: number;
  /** The refusal when the file's version is newer than the list: an older program must not run on it. */
  tooNew(current: number, known: number): string;
}

/** Brings `db` up to the last (or `upTo`) migration; answers the version it is at. */
export function migrate(db: Db, migrations: readonly Migration[], options: MigrateOptions): number {
  const target = options.upTo ?? migrations.length;
  const current = schemaVersion(db);
  if (current > migrations.length) throw new Error(options.tooNew(current, migrations.length));
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
