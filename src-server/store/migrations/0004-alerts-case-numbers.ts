import type { Migration } from '../../../src-node/sqlite/migrate';

// The dispatcher's shift: the alert feed (raised, escalated level by level,
// acknowledged by one seat) and the human case numbers 案件编号 — one counter per report day and
// town, and an index that finds a case by the number in its JSON. IF NOT EXISTS: development
// stores made before this migration created them at start.
export const m0004AlertsCaseNumbers: Migration = {
  version: 4,
  name: 'alerts and case numbers',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS alerts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        case_id TEXT,
        officer_id TEXT,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL,
        grid_code TEXT NOT NULL,
        village_code TEXT NOT NULL,
        town_code TEXT NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        raised_at INTEGER NOT NULL,
        level TEXT NOT NULL,
        escalated_at INTEGER,
        ack_by TEXT,
        ack_by_name TEXT,
        ack_at INTEGER
      ) STRICT;
      CREATE INDEX IF NOT EXISTS alerts_raised ON alerts(raised_at);
      CREATE TABLE IF NOT EXISTS case_number_seq (
        day TEXT NOT NULL, town_code TEXT NOT NULL, last INTEGER NOT NULL,
        PRIMARY KEY (day, town_code)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS cases_number ON cases (json_extract(json, '$.number'));
    `);
  },
};
