// PostgreSQL schema for the scale-out server, numbered like the SQLite store's
// migrations (`../migrations/`) and applied the same way: each in its own transaction, the applied
// number kept in `schema_migrations`. Several nodes may start at once: the runner takes a
// transaction-scoped advisory lock so exactly one applies each migration.
import type { PoolClient } from 'pg';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Advisory-lock key of the migration runner ('grid-mig' as a 32-bit number). */
const MIGRATION_LOCK = 0x6772_6d67;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'event log',
    sql: `
      -- The cluster's one log head. Appending takes this row's lock (UPDATE … RETURNING) and holds
      -- it to commit, so sequence numbers commit in order: a reader that sees seq n committed has
      -- every seq below n committed too, and a catch-up can never read past a gap that fills later.
      CREATE TABLE log_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL
      );
      INSERT INTO log_head (id, seq) VALUES (1, 0);
      CREATE TABLE events (
        seq bigint PRIMARY KEY,
        case_id text NOT NULL,
        type text NOT NULL,
        town_code text NOT NULL,
        village_code text NOT NULL,
        grid_code text NOT NULL,
        server_time bigint NOT NULL,
        json text NOT NULL
      );
      CREATE INDEX events_town ON events (town_code, seq);
      CREATE INDEX events_village ON events (village_code, seq);
      CREATE INDEX events_grid ON events (grid_code, seq);
      CREATE INDEX events_case ON events (case_id, seq);
      -- 全痕迹: append-only, enforced by the database itself.
      CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$;
      CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_append_only();
    `,
  },
];

/** Apply the migrations not yet applied; returns the versions this call applied. */
export async function migratePg(
  client: PoolClient,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<number[]> {
  const applied: number[] = [];
  // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: under the lock too.
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
  for (const m of migrations) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.rowCount === 0) {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    }
  }
  return applied;
}
