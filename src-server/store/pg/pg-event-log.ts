// The event log on PostgreSQL: the same contract as the SQLite `EventLog` — append
// inside the command's transaction, page a scope's events after a watermark — for several server
// nodes writing at once.
//
// Order: `append` takes the sequence numbers from the single `log_head` row with
// `UPDATE … RETURNING`, whose row lock is held until the transaction ends. A second writer waits
// on that lock until the first commits (or rolls back, which releases the numbers unused), so
// commit order equals seq order and `after()` can never return seq n while a smaller seq is still
// to commit. A database sequence (nextval) would not give this: numbers are taken early and
// transactions commit in any order, so a catch-up reading past an in-flight number skips it
// forever (the interleaved-commit test shows both).
import type { Pool, PoolClient } from 'pg';
import type { CaseEvent } from '../../../src-shared/protocol/entities';
import { MAX_PAGE_BYTES } from '../../../src-shared/protocol/messages';
import { scopeColumn, type CatchUpResult, type NewEvent } from '../event-log';

/**
 * Append `events` in the caller's open transaction on `client`; returns them with their seqs.
 * The log head stays locked by this transaction until it commits or rolls back.
 */
export async function appendEvents(client: PoolClient, events: readonly NewEvent[]): Promise<CaseEvent[]> {
  if (events.length === 0) return [];
  const head = await client.query<{ seq: string }>(
    'UPDATE log_head SET seq = seq + $1 WHERE id = 1 RETURNING seq',
    [events.length],
  );
  const last = Number(head.rows[0].seq);
  const first = last - events.length + 1;
  const full = events.map((e, i): CaseEvent => ({ ...e, seq: first + i }));
  const { sql, values } = valuesList(
    full.map((e) => [
      e.seq,
      e.caseId,
      e.type,
      e.scope.townCode,
      e.scope.villageCode,
      e.scope.gridCode,
      e.serverTime,
      JSON.stringify(e),
    ]),
  );
  await client.query(
    `INSERT INTO events (seq, case_id, type, town_code, village_code, grid_code, server_time, json) VALUES ${sql}`,
    values,
  );
  return full;
}

/** `($1,$2,…),($n+1,…)` and the flat parameter list for a multi-row INSERT of equal-length rows. */
export function valuesList(rows: readonly unknown[][]): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const sql = rows.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(',')})`).join(',');
  return { sql, values };
}

/** Events of a scope after a watermark, paged by count and bytes (as the SQLite log's `after`). */
export async function eventsAfter(
  db: Pool | PoolClient,
  scopeCode: string,
  afterSeq: number,
  limit = 5_000,
  maxBytes = MAX_PAGE_BYTES,
): Promise<CatchUpResult> {
  const col = scopeColumn(scopeCode);
  const r = col
    ? await db.query<{ seq: string; json: string }>(
        `SELECT seq, json FROM events WHERE ${col} = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [scopeCode, afterSeq, limit + 1],
      )
    : await db.query<{ seq: string; json: string }>(
        'SELECT seq, json FROM events WHERE seq > $1 ORDER BY seq LIMIT $2',
        [afterSeq, limit + 1],
      );
  const events: CaseEvent[] = [];
  let bytes = 0;
  let more = r.rows.length > limit;
  for (const row of r.rows.slice(0, limit)) {
    bytes += Buffer.byteLength(row.json);
    if (bytes > maxBytes && events.length > 0) {
      more = true;
      break;
    }
    events.push(JSON.parse(row.json) as CaseEvent);
  }
  return { events, watermark: events.length > 0 ? events[events.length - 1].seq : afterSeq, more };
}

/** Highest committed seq of the whole log. */
export async function headSeq(db: Pool | PoolClient): Promise<number> {
  const r = await db.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM events');
  return Number(r.rows[0].seq);
}
