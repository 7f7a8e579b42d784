// SQLite plumbing for the console's files: open with WAL, integrity check, and the numbered
// migrations of src-node (the runner the server uses too).
import Database from 'better-sqlite3';
import { configureSqlite, migrate, type Db, type Migration } from '../../src-node/sqlite/migrate';

export type { Db, Migration };

export class CorruptDatabaseError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is damaged: ${detail}`);
  }
}

export function openSqlite(file: string, options: { synchronous: 'NORMAL' | 'FULL' }): Db {
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (e) {
    throw new CorruptDatabaseError(file, e instanceof Error ? e.message : String(e));
  }
  configureSqlite(db, options.synchronous);
  return db;
}

/** PRAGMA quick_check: a damaged page or index shows up here before it loses data. */
export function checkIntegrity(db: Db, file: string): void {
  let rows: { quick_check: string }[];
  try {
    rows = db.pragma('quick_check') as { quick_check: string }[];
  } catch (e) {
    throw new CorruptDatabaseError(file, e instanceof Error ? e.message : String(e));
  }
  if (rows.length !== 1 || rows[0].quick_check !== 'ok') {
    throw new CorruptDatabaseError(
      file,
      rows
        .map((r) => r.quick_check)
        .slice(0, 3)
        .join('; '),
    );
  }
}

export function runMigrations(db: Db, migrations: readonly Migration[], file: string): number {
  return migrate(db, migrations, {
    tooNew: (current, known) =>
      `${file} has schema version ${current}, newer than this console knows (${known})`,
  });
}
