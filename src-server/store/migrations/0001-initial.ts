import type { Migration } from '../../../src-node/sqlite/migrate';

// The first schema: reference data (loaded from the demo dataset on first start), seats and
// sessions, cases (current state), the append-only event log, command answers for dedupe, and
// content-addressed photos. Entities keep their protocol JSON in `json`; the columns beside it
// exist for indexes and scoping.
export const m0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE divisions (
        code TEXT PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, parent_code TEXT, json TEXT NOT NULL
      ) STRICT;
      CREATE TABLE grids (
        code TEXT PRIMARY KEY, idx INTEGER NOT NULL UNIQUE, village_code TEXT NOT NULL, town_code TEXT NOT NULL,
        json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX grids_village ON grids(village_code);
      CREATE TABLE departments (code TEXT PRIMARY KEY, json TEXT NOT NULL) STRICT;
      CREATE TABLE categories (code TEXT PRIMARY KEY, json TEXT NOT NULL) STRICT;
      CREATE TABLE officers (
        id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, town_code TEXT, village_code TEXT, json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX officers_town ON officers(town_code);
      CREATE INDEX officers_village ON officers(village_code);
      CREATE TABLE cameras (
        id TEXT PRIMARY KEY, grid_code TEXT NOT NULL, village_code TEXT NOT NULL, town_code TEXT NOT NULL,
        json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX cameras_town ON cameras(town_code);
      CREATE INDEX cameras_village ON cameras(village_code);

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        scope_code TEXT NOT NULL,
        officer_id TEXT REFERENCES officers(id),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        town_code TEXT NOT NULL,
        village_code TEXT NOT NULL,
        grid_code TEXT NOT NULL,
        holder_code TEXT NOT NULL,
        version INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX cases_town ON cases(town_code, id);
      CREATE INDEX cases_village ON cases(village_code, id);
      CREATE INDEX cases_state ON cases(state);

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        type TEXT NOT NULL,
        town_code TEXT NOT NULL,
        village_code TEXT NOT NULL,
        grid_code TEXT NOT NULL,
        server_time INTEGER NOT NULL,
        json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_town ON events(town_code, seq);
      CREATE INDEX events_village ON events(village_code, seq);
      CREATE INDEX events_case ON events(case_id, seq);
      -- 全痕迹: the log is append-only, enforced by the database itself.
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

      CREATE TABLE commands (
        command_id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        type TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        answer TEXT NOT NULL
      ) STRICT;

      CREATE TABLE photos (
        hash TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        uploaded_by TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE officer_positions (officer_id TEXT PRIMARY KEY, json TEXT NOT NULL) STRICT;
    `);
  },
};
