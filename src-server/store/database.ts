// Opens the server's SQLite store (better-sqlite3, WAL) and brings its schema up to date with
// the numbered migrations of ./migrations, run by src-node's runner (the console's too).
import Database from 'better-sqlite3';
import {
  configureSqlite,
  migrate as runMigrations,
  type Db,
  type Migration,
} from '../../src-node/sqlite/migrate';
import { MIGRATIONS } from './migrations';

export { schemaVersion, type Db } from '../../src-node/sqlite/migrate';

export interface OpenOptions {
  /** `:memory:` for tests of a single migration. */
  file: string;
  readonly?: boolean;
}

export function openDatabase(options: OpenOptions): Db {
  const db = new Database(options.file, { readonly: options.readonly ?? false });
  db.pragma('journal_mode = WAL');
  // The log is the audit trail: a committed event must survive a power cut.
  configureSqlite(db, 'FULL');
  return db;
}

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, upTo?: number): number {
  return runMigrations(db, migrations, {
    upTo,
    tooNew: (current, known) =>
      `database schema version ${current} is newer than this server knows (${known}); refusing to run an older server on it`,
  });
}
