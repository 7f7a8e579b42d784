// Shared SQLite plumbing for the console's files: open with WAL, integrity check, numbered
// migrations driven by PRAGMA user_version (one transaction each).
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

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
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
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
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `${file} has schema version ${current}, newer than this console knows (${migrations.length})`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
