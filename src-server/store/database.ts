// Opens the server's SQLite store (better-sqlite3, WAL) and brings its schema up to date with
// numbered migrations driven by PRAGMA user_version (Signal-Desktop style): each migration runs
// in its own transaction, so a failed one leaves the previous version intact.
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** `:memory:` for tests of a single migration. */
  file: string;
  readonly?: boolean;
}

export function openDatabase(options: OpenOptions): Db {
  const db = new Database(options.file, { readonly: options.readonly ?? false });
  db.pragma('journal_mode = WAL');
  // The log is the audit trail: a committed event must survive a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, upTo?: number): number {
  const target = upTo ?? migrations.length;
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this server knows (${migrations.length}); refusing to run an older server on it`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
