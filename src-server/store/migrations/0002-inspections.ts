import type { Migration } from '../../../src-node/sqlite/migrate';

// Periodic inspections: per-city settings, the months generated, the work orders,
// tier re-grading proposals and the tiers approved over the dataset's.
//
// Work orders are a WITHOUT ROWID table keyed (month, grid_idx, place, visit): generation
// appends in key order, a grid's (and so any town's or village's: grid indexes follow the
// codes) orders are one contiguous range, and a place's history is one seek per month — no
// secondary index to maintain on ≈ 1.1M rows a month. Days are Shanghai day numbers.
export const m0002Inspections: Migration = {
  version: 2,
  name: 'inspections',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS inspection_settings (
        city_code TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE IF NOT EXISTS inspection_months (
        month INTEGER PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('generating', 'ready')),
        orders INTEGER NOT NULL,
        settings TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        ms INTEGER
      ) STRICT;

      CREATE TABLE IF NOT EXISTS inspection_orders (
        month INTEGER NOT NULL,
        grid_idx INTEGER NOT NULL,
        place INTEGER NOT NULL,
        visit INTEGER NOT NULL,
        visits INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        tier INTEGER NOT NULL,
        officer_id TEXT,
        planned_day INTEGER NOT NULL,
        due_day INTEGER NOT NULL,
        close_day INTEGER NOT NULL,
        done_at INTEGER,
        done_day INTEGER,
        done_by TEXT,
        hazard INTEGER,
        case_id TEXT,
        PRIMARY KEY (month, grid_idx, place, visit)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE IF NOT EXISTS inspection_regrades (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        place INTEGER NOT NULL,
        grid_idx INTEGER NOT NULL,
        grid_code TEXT NOT NULL,
        from_tier INTEGER NOT NULL,
        to_tier INTEGER NOT NULL,
        hazards INTEGER NOT NULL,
        clean_visits INTEGER NOT NULL,
        reason TEXT NOT NULL,
        proposed_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_at INTEGER,
        decided_by TEXT,
        note TEXT
      ) STRICT;
      CREATE INDEX IF NOT EXISTS inspection_regrades_status ON inspection_regrades(status, grid_code, id);
      CREATE UNIQUE INDEX IF NOT EXISTS inspection_regrades_one_pending
        ON inspection_regrades(place) WHERE status = 'pending';
      CREATE INDEX IF NOT EXISTS inspection_regrades_place ON inspection_regrades(place, id);

      CREATE TABLE IF NOT EXISTS inspection_place_tiers (
        place INTEGER PRIMARY KEY,
        tier INTEGER NOT NULL,
        since_month INTEGER NOT NULL,
        regrade_id INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
