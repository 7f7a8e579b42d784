import type { Migration } from '../../../../src-node/sqlite/migrate';

// outbox.sqlite's first schema: the queued commands with their optimistic result and answer.
export const outbox0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        command_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        case_id TEXT NOT NULL,
        command TEXT NOT NULL,
        optimistic TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        settled_at INTEGER,
        answer TEXT,
        acknowledged INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX outbox_status ON outbox(status, seq);
    `);
  },
};
