// The PostgreSQL event log (issue 20) against a real PostgreSQL 15 started for this file: with
// several writers, commit order equals seq order, so a catch-up never reads past an event that
// commits later. Commits are interleaved on purpose: a second writer is shown waiting on the log
// head's lock (pg_locks, not a timer) while the first is open; a database sequence, the obvious
// alternative, is shown losing an event under the same interleaving; and 8 writers racing a
// polling reader leave it with every seq exactly once, in order.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src-server/store/event-log';
import { appendEvents, eventsAfter, headSeq } from '../../src-server/store/pg/pg-event-log';
import { migratePg, PG_MIGRATIONS } from '../../src-server/store/pg/pg-migrations';
import { startPostgres, type PgServer } from '../support/pg-harness';

let server: PgServer;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: server.url, max: 20 });
  // An idle pooled connection reports the server's shutdown at the end: expected, not a failure.
  pool.on('error', () => undefined);
});

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

const TOWN = '441900106';
function event(n: number, village = `${TOWN}001`): NewEvent {
  return {
    type: 'case.reported',
    caseId: `C-${n}`,
    actorId: 'U-test',
    actorRole: 'officer',
    seatId: null,
    serverTime: 1_780_000_000_000 + n,
    clientTime: null,
    commandId: null,
    scope: { townCode: TOWN, villageCode: village, gridCode: `${village}001` },
    payload: {},
    version: 1,
  };
}

/** Whether the backend `pid` is waiting for a lock right now. */
async function waitingOnLock(pid: number): Promise<boolean> {
  const r = await pool.query('SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted', [pid]);
  return (r.rowCount ?? 0) > 0;
}

async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const pidOf = async (c: pg.PoolClient): Promise<number> =>
  Number((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);

describe('migrations', () => {
  it('apply once when several nodes start at the same moment', async () => {
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    try {
      const applied = await Promise.all(clients.map((c) => migratePg(c)));
      // Each migration applied by exactly one of the three.
      const all = PG_MIGRATIONS.map((m) => m.version);
      expect(applied.flat().sort((a, b) => a - b)).toEqual(all);
      const versions = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows).toEqual(all.map((version) => ({ version })));
    } finally {
      for (const c of clients) c.release();
    }
  });

  it('keep the log append-only', async () => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await appendEvents(c, [event(0)]);
      await c.query('COMMIT');
      await expect(pool.query("UPDATE events SET type = 'x'")).rejects.toThrow(/append-only/);
      await expect(pool.query('DELETE FROM events')).rejects.toThrow(/append-only/);
    } finally {
      c.release();
    }
  });
});

describe('interleaved commits', () => {
  it('a second writer waits for the first to commit, so no reader sees its seq before the first’s', async () => {
    const base = await headSeq(pool);
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      const [ea] = await appendEvents(a, [event(1)]);
      expect(ea.seq).toBe(base + 1);
      await b.query('BEGIN');
      const bPid = await pidOf(b);
      const pendingB = appendEvents(b, [event(2)]);
      await until(() => waitingOnLock(bPid), 'the second writer to wait on the log head');
      // Nothing is visible yet: A has not committed and B cannot have taken a number.
      expect((await eventsAfter(pool, '4419', base)).events).toEqual([]);
      await a.query('COMMIT');
      const [eb] = await pendingB;
      expect(eb.seq).toBe(base + 2);
      // A reader between the two commits sees A's event and stops there.
      const mid = await eventsAfter(pool, '4419', base);
      expect(mid.events.map((e) => e.seq)).toEqual([base + 1]);
      await b.query('COMMIT');
      const after = await eventsAfter(pool, '4419', mid.watermark);
      expect(after.events.map((e) => e.seq)).toEqual([base + 2]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('a rolled-back writer leaves no gap: the waiting writer takes its number', async () => {
    const base = await headSeq(pool);
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      await appendEvents(a, [event(3), event(4)]);
      await b.query('BEGIN');
      const bPid = await pidOf(b);
      const pendingB = appendEvents(b, [event(5)]);
      await until(() => waitingOnLock(bPid), 'the second writer to wait on the log head');
      await a.query('ROLLBACK');
      const [eb] = await pendingB;
      await b.query('COMMIT');
      expect(eb.seq).toBe(base + 1);
      const all = await eventsAfter(pool, '4419', base);
      expect(all.events.map((e) => [e.seq, e.caseId])).toEqual([[base + 1, 'C-5']]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('(the hazard it prevents) a database sequence lets a catch-up skip an event for ever', async () => {
    await pool.query('CREATE TABLE naive_events (seq bigint PRIMARY KEY, body text NOT NULL)');
    await pool.query('CREATE SEQUENCE naive_seq');
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      await a.query("INSERT INTO naive_events VALUES (nextval('naive_seq'), 'A')"); // takes 1
      await b.query('BEGIN');
      await b.query("INSERT INTO naive_events VALUES (nextval('naive_seq'), 'B')"); // takes 2, no wait
      await b.query('COMMIT');
      const first = await pool.query<{ seq: string }>(
        'SELECT seq FROM naive_events WHERE seq > 0 ORDER BY seq',
      );
      const watermark = Math.max(...first.rows.map((r) => Number(r.seq)));
      expect(watermark).toBe(2);
      await a.query('COMMIT');
      const next = await pool.query('SELECT seq FROM naive_events WHERE seq > $1', [watermark]);
      expect(next.rowCount).toBe(0); // seq 1 committed, but behind the watermark: never delivered
    } finally {
      a.release();
      b.release();
    }
  });

  it('8 writers racing a polling reader: the reader gets every seq once, in order, no gaps', async () => {
    const base = await headSeq(pool);
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let written = 0;
    let done = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 40; i++) {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const n = 1 + Math.floor(rnd() * 3);
          await appendEvents(
            c,
            Array.from({ length: n }, (_, k) =>
              event(10_000 + w * 1000 + i * 10 + k, `${TOWN}00${1 + (w % 3)}`),
            ),
          );
          // Hold the transaction open a moment so others queue up behind it.
          if (rnd() < 0.3) await c.query('SELECT pg_sleep(0.002)');
          if (rnd() < 0.1) await c.query('ROLLBACK');
          else {
            await c.query('COMMIT');
            written += n;
          }
        } finally {
          c.release();
        }
      }
    });
    const seen: number[] = [];
    const villageSeen: number[] = [];
    const reader = (async () => {
      let watermark = base;
      let villageMark = base;
      for (;;) {
        const finished = done;
        const page = await eventsAfter(pool, '4419', watermark, 50);
        for (const e of page.events) seen.push(e.seq);
        watermark = page.watermark;
        const vpage = await eventsAfter(pool, `${TOWN}002`, villageMark, 50);
        for (const e of vpage.events) villageSeen.push(e.seq);
        villageMark = vpage.watermark;
        if (finished && !page.more && !vpage.more) break;
      }
    })();
    await Promise.all(writers);
    done = true;
    await reader;
    expect(seen.length).toBe(written);
    expect(seen).toEqual(Array.from({ length: written }, (_, i) => base + 1 + i));
    const village = await pool.query<{ seq: string }>(
      'SELECT seq FROM events WHERE village_code = $1 AND seq > $2 ORDER BY seq',
      [`${TOWN}002`, base],
    );
    expect(villageSeen).toEqual(village.rows.map((r) => Number(r.seq)));
    expect(villageSeen.length).toBeGreaterThan(0);
  });
});
