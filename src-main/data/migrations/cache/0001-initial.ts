import type { Migration } from '../../../../src-node/sqlite/migrate';

// cache.sqlite's first schema: the reference data, the seat's cases (current state), the events
// seen since the snapshot (the local log) and the officers' last positions.
export const cache0001Initial: Migration = {
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
};
