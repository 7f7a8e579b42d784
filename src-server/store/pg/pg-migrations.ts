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
  {
    version: 2,
    name: 'cases, commands, case numbers',
    sql: `
      -- Current state of every live case (protocol JSON plus the columns for scoping and paging).
      -- Ids and codes compare byte-wise (COLLATE "C"), as SQLite does: a snapshot pages by id.
      CREATE TABLE cases (
        id text COLLATE "C" PRIMARY KEY,
        state text NOT NULL,
        town_code text COLLATE "C" NOT NULL,
        village_code text COLLATE "C" NOT NULL,
        grid_code text COLLATE "C" NOT NULL,
        holder_code text NOT NULL,
        version integer NOT NULL,
        last_seq bigint NOT NULL DEFAULT 0,
        number text,
        json text NOT NULL
      );
      CREATE INDEX cases_town ON cases (town_code, id);
      CREATE INDEX cases_village ON cases (village_code, id);
      CREATE INDEX cases_grid ON cases (grid_code, id);
      CREATE INDEX cases_number ON cases (number);
      -- Command answers for idempotency: the row is claimed (INSERT) first in the command's
      -- transaction, so the same commandId on another node waits for it and then reads the answer.
      CREATE TABLE commands (
        command_id text PRIMARY KEY,
        client_id text NOT NULL,
        actor_id text NOT NULL,
        type text NOT NULL,
        received_at bigint NOT NULL,
        request_digest text NOT NULL,
        status text,
        answer text
      );
      -- 案件编号 counters per report day and town (as SQLite's case_number_seq).
      CREATE TABLE case_number_seq (
        day text NOT NULL,
        town_code text NOT NULL,
        last integer NOT NULL,
        PRIMARY KEY (day, town_code)
      );
      CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'sessions shared by the nodes',
    sql: `
      -- Seats' sessions (pg-session-store.ts): a token issued by one node is accepted by all.
      -- Only the token's sha256 is stored, as in SQLite's sessions table.
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE INDEX sessions_expiry ON sessions (expires_at);
      -- A password changed on one node: the others adopt the hash at the seat's next login.
      CREATE TABLE seat_passwords (
        user_id text PRIMARY KEY,
        password_hash text NOT NULL,
        changed_at bigint NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'photos shared by the nodes',
    sql: `
      -- Uploaded photos (pg-photo-store.ts): content-addressed like the embedded store's files,
      -- the bytes in the row (photos are ≤ 5 MB; TOAST keeps them out of the heap).
      CREATE TABLE photos (
        hash text PRIMARY KEY,
        mime text NOT NULL,
        size integer NOT NULL,
        bytes bytea NOT NULL,
        uploaded_by text NOT NULL,
        created_at bigint NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'alert feed shared by the nodes',
    sql: `
      -- The alert feed (pg-alert-feed.ts): what was raised (json), where (grid_code) and when,
      -- and what changes: the level it escalated to and the first acknowledgement.
      CREATE TABLE alerts (
        id text PRIMARY KEY,
        grid_code text NOT NULL,
        raised_at bigint NOT NULL,
        level text NOT NULL,
        escalated_at bigint,
        ack_by text,
        ack_by_name text,
        ack_at bigint,
        json text NOT NULL
      );
      CREATE INDEX alerts_raised ON alerts (raised_at);
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
