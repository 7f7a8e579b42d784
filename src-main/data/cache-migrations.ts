import type { Migration } from './sqlite';

// Numbered migrations of the console cache (cache.sqlite). Never edit a shipped one: add one.
export const CACHE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE divisions (code TEXT PRIMARY KEY, level TEXT NOT NULL, parent_code TEXT, json TEXT NOT NULL) STRICT;
        CREATE TABLE grids (code TEXT PRIMARY KEY, village_code TEXT NOT NULL, town_code TEXT NOT NULL, json TEXT NOT NULL) STRICT;
        CREATE TABLE officers (id TEXT PRIMARY KEY, json TEXT NOT NULL) STRICT;
        CREATE TABLE cameras (id TEXT PRIMARY KEY, grid_code TEXT NOT NULL, json TEXT NOT NULL) STRICT;
        CREATE TABLE categories (code TEXT PRIMARY KEY, json TEXT NOT NULL) STRICT;
        CREATE TABLE departments (code TEXT PRIMARY KEY, json TEXT NOT NULL) STRICT;
        CREATE TABLE cases (
          id TEXT PRIMARY KEY, state TEXT NOT NULL, grid_code TEXT NOT NULL, village_code TEXT NOT NULL,
          town_code TEXT NOT NULL, holder_code TEXT NOT NULL, version INTEGER NOT NULL, json TEXT NOT NULL
        ) STRICT;
        CREATE INDEX cases_state ON cases(state);
        CREATE TABLE events (
          seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL, type TEXT NOT NULL, server_time INTEGER NOT NULL, json TEXT NOT NULL
        ) STRICT;
        CREATE INDEX events_case ON events(case_id, seq);
        CREATE TABLE positions (officer_id TEXT PRIMARY KEY, json TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
      `);
    },
  },
  {
    version: 2,
    name: 'map columns and officer tracks',
    up(db) {
      // The situation map reads these columns for ~80k open cases without parsing case JSON;
      // CacheStore fills them on every write, and existing rows are backfilled from their JSON.
      db.exec(`
        ALTER TABLE cases ADD COLUMN lon REAL;
        ALTER TABLE cases ADD COLUMN lat REAL;
        ALTER TABLE cases ADD COLUMN priority TEXT;
        ALTER TABLE cases ADD COLUMN category TEXT;
        ALTER TABLE cases ADD COLUMN reported_at INTEGER;
        ALTER TABLE cases ADD COLUMN due_at INTEGER;
        UPDATE cases SET
          lon = json_extract(json, '$.lon'),
          lat = json_extract(json, '$.lat'),
          priority = json_extract(json, '$.priority'),
          category = json_extract(json, '$.categoryCode'),
          reported_at = json_extract(json, '$.reportedAt'),
          due_at = json_extract(json, '$.dueAt');
      `);
      // Telemetry is not in the server's log: the console keeps its own recent track per officer
      // (sampled, pruned after 24 h) for the replay. The primary key is the officer+time index,
      // and the only one: reads and pruning seek per officer (a second index on time would add
      // half again to every row of what is the largest table of a city seat).
      db.exec(`
        CREATE TABLE tracks (
          officer_id TEXT NOT NULL, at INTEGER NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL,
          PRIMARY KEY (officer_id, at)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];
