import type { Migration } from '../../../../src-node/sqlite/migrate';

// The situation map's columns on cases and the officers' recent tracks (the replay).
export const cache0002MapColumnsTracks: Migration = {
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
};
