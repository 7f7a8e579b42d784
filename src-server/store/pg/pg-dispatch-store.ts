// The PostgreSQL engine of the dispatch store (store/dispatch-store.ts) for several server nodes
// on one database. One transaction per command, in this order:
//   1. claim the commandId (INSERT … ON CONFLICT DO NOTHING): the same commandId arriving on
//      another node at once waits on this row until the first commits, then reads its answer;
//   2. read the cases the command touches FOR UPDATE (a dispatch race between nodes: the loser
//      waits for the winner's commit and is evaluated on the winner's case);
//   3. evaluate with `CommandService.execute` — the same rules as SQLite, nothing copied;
//   4. write the cases, number new ones (case_number_seq), append the events (log head lock held
//      to commit: commit order = seq order, pg-event-log.ts), note each scope's previous seq;
//   5. store the answer.
// A deadlock, a serialization failure or a unique violation (two nodes creating the same case id)
// rolls back and runs the command again from step 1. Anything else throws with nothing stored.
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { formatCaseNumber, numberDay } from '../../../src-shared/domain/case-number';
import type { Command, CommandAnswer } from '../../../src-shared/protocol/commands';
import type { Case, CaseEvent } from '../../../src-shared/protocol/entities';
import {
  rejected,
  repeatAnswer,
  requestDigest,
  type ActorContext,
  type CaseAccess,
  type CommandOutcome,
  type CommandService,
  type CommittedEvent,
  type StoredCommand,
} from '../../cases/command-service';
import type { DispatchStore } from '../dispatch-store';
import { scopeColumn, type CatchUpResult } from '../event-log';
import { appendEvents, eventsAfter, valuesList } from './pg-event-log';
import { migratePg } from './pg-migrations';

/** SQLSTATEs after which the whole command runs again. */
const RETRY = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 8;

class Retry extends Error {
  readonly code = '23505';
}

export interface PgStoreOptions {
  url: string;
  cityCode: string;
  /** The evaluation (the node's CommandService: shared rules, reference data, display names). */
  commands: CommandService;
  now: () => number;
  /** Pool size per node (default 10). */
  max?: number;
}

export class PgDispatchStore implements DispatchStore {
  readonly engine = 'postgres' as const;
  readonly cityCode: string;

  private constructor(
    readonly pool: Pool,
    private readonly options: PgStoreOptions,
  ) {
    this.cityCode = options.cityCode;
  }

  /** Connect and bring the schema up to date (several nodes may do this at once). */
  static async open(options: PgStoreOptions): Promise<PgDispatchStore> {
    const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10 });
    // A connection dropped while idle (PostgreSQL restarting) must not crash the node.
    pool.on('error', () => undefined);
    const client = await pool.connect();
    try {
      await migratePg(client);
    } finally {
      client.release();
    }
    return new PgDispatchStore(pool, options);
  }

  /**
   * First node only: copy the live cases and number counters of a freshly imported local store
   * into the empty cluster store (under an advisory lock; later nodes find it seeded and copy
   * nothing). Returns the number of cases copied.
   */
  async seed(
    read: () => { cases: Case[]; counters: { day: string; town_code: string; last: number }[] },
    nodeId: string,
  ): Promise<number> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [0x6772_7364]);
      const done = await c.query("SELECT 1 FROM meta WHERE key = 'seeded_by'");
      if (done.rowCount) return 0;
      const { cases, counters } = read();
      for (let i = 0; i < cases.length; i += 500) await this.insertCases(c, cases.slice(i, i + 500));
      for (const k of counters)
        await c.query('INSERT INTO case_number_seq (day, town_code, last) VALUES ($1, $2, $3)', [
          k.day,
          k.town_code,
          k.last,
        ]);
      await c.query("INSERT INTO meta (key, value) VALUES ('seeded_by', $1)", [nodeId]);
      return cases.length;
    });
  }

  async handle(actor: ActorContext, clientId: string, command: Command): Promise<CommandOutcome> {
    const serverTime = this.options.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tx((c) => this.run(c, actor, clientId, command, serverTime));
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (attempt < MAX_ATTEMPTS && typeof code === 'string' && RETRY.has(code)) continue;
        throw e;
      }
    }
  }

  private async run(
    c: PoolClient,
    actor: ActorContext,
    clientId: string,
    command: Command,
    serverTime: number,
  ): Promise<CommandOutcome> {
    const digest = requestDigest(command);
    const claimed = await c.query(
      `INSERT INTO commands (command_id, client_id, actor_id, type, received_at, request_digest)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (command_id) DO NOTHING`,
      [command.commandId, clientId, actor.userId, command.type, serverTime, digest],
    );
    if (claimed.rowCount === 0) {
      const prior = await c.query<StoredCommand>(
        'SELECT actor_id, request_digest, answer FROM commands WHERE command_id = $1',
        [command.commandId],
      );
      return { ...repeatAnswer(prior.rows[0], actor, command.commandId, digest, serverTime), committed: [] };
    }

    // Evaluate against the rows this transaction holds; a case the rules ask for that is not
    // held yet is read (FOR UPDATE) and the evaluation runs again — it is pure but for `put`.
    const held = new Map<string, Case | null>();
    const numbers = new Map<string, string | null>();
    let staged = new Map<string, Case>();
    let result: ReturnType<CommandService['execute']>;
    for (;;) {
      const wantIds = new Set<string>();
      const wantNumbers = new Set<string>();
      staged = new Map();
      const access: CaseAccess = {
        get: (id) => {
          if (staged.has(id)) return staged.get(id) ?? null;
          if (!held.has(id)) wantIds.add(id);
          return structuredClone(held.get(id) ?? null);
        },
        byNumber: (n) => {
          if (!numbers.has(n)) wantNumbers.add(n);
          const id = numbers.get(n);
          return id ? structuredClone(held.get(id) ?? null) : null;
        },
        put: (k) => void staged.set(k.id, k),
      };
      result = this.options.commands.execute(actor, command, serverTime, access);
      if (wantIds.size === 0 && wantNumbers.size === 0) break;
      const ids = [...wantIds].sort();
      const rows = await c.query<{ id: string; number: string | null; json: string }>(
        'SELECT id, number, json FROM cases WHERE id = ANY($1) OR number = ANY($2) ORDER BY id FOR UPDATE',
        [ids, [...wantNumbers]],
      );
      for (const id of ids) held.set(id, null);
      for (const n of wantNumbers) numbers.set(n, null);
      for (const r of rows.rows) {
        held.set(r.id, JSON.parse(r.json) as Case);
        if (r.number) numbers.set(r.number, r.id);
      }
    }

    let answer: CommandAnswer;
    let committed: CommittedEvent[] = [];
    if ('code' in result) answer = rejected(command.commandId, serverTime, result);
    else {
      // New cases get their 案件编号 here; the events hold the same objects, so they carry it.
      for (const k of staged.values()) if (!k.number) k.number = await this.allocateNumber(c, k);
      const fresh = [...staged.values()].filter((k) => !held.get(k.id));
      if (fresh.length > 0) {
        const inserted = await this.insertCases(c, fresh);
        if (inserted < fresh.length) throw new Retry('a case id was taken meanwhile');
      }
      for (const k of staged.values()) {
        if (!held.get(k.id)) continue;
        await c.query(
          'UPDATE cases SET state = $2, holder_code = $3, version = $4, number = $5, json = $6 WHERE id = $1',
          [k.id, k.state, k.holderCode, k.version, k.number ?? null, JSON.stringify(k)],
        );
      }
      const events = await appendEvents(c, result.events);
      committed = await this.previousSeqs(c, events);
      for (const e of events)
        await c.query('UPDATE cases SET last_seq = $2 WHERE id = $1', [e.caseId, e.seq]);
      answer = { commandId: command.commandId, status: 'accepted', noop: result.noop, events, serverTime };
    }
    await c.query('UPDATE commands SET status = $2, answer = $3 WHERE command_id = $1', [
      command.commandId,
      answer.status,
      JSON.stringify(answer),
    ]);
    return { answer, committed, repeat: false };
  }

  /**
   * Each event's previous seq in the city, its town and its village — read while this
   * transaction holds the log head, so every smaller seq is committed or ours.
   */
  private async previousSeqs(c: PoolClient, events: readonly CaseEvent[]): Promise<CommittedEvent[]> {
    const out: CommittedEvent[] = [];
    for (const event of events) {
      const r = await c.query<{ town: string; village: string }>(
        `SELECT (SELECT coalesce(max(seq), 0) FROM events WHERE town_code = $1 AND seq < $3) AS town,
                (SELECT coalesce(max(seq), 0) FROM events WHERE village_code = $2 AND seq < $3) AS village`,
        [event.scope.townCode, event.scope.villageCode, event.seq],
      );
      const prev = new Map<string, number>([
        [this.cityCode, event.seq - 1],
        [event.scope.townCode, Number(r.rows[0].town)],
        [event.scope.villageCode, Number(r.rows[0].village)],
      ]);
      out.push({ event, prev });
    }
    return out;
  }

  private async allocateNumber(c: PoolClient, k: Case): Promise<string> {
    const r = await c.query<{ last: number }>(
      `INSERT INTO case_number_seq (day, town_code, last) VALUES ($1, $2, 1)
       ON CONFLICT (day, town_code) DO UPDATE SET last = case_number_seq.last + 1 RETURNING last`,
      [numberDay(k.reportedAt), k.townCode],
    );
    return formatCaseNumber(this.cityCode, k.reportedAt, k.townCode, r.rows[0].last);
  }

  /** Insert cases that are not there yet; returns how many were inserted. */
  private async insertCases(c: PoolClient, cases: readonly Case[]): Promise<number> {
    if (cases.length === 0) return 0;
    const { sql, values } = valuesList(
      cases.map((k) => [
        k.id,
        k.state,
        k.townCode,
        k.villageCode,
        k.gridCode,
        k.holderCode,
        k.version,
        k.number ?? null,
        JSON.stringify(k),
      ]),
    );
    const r = await c.query(
      `INSERT INTO cases (id, state, town_code, village_code, grid_code, holder_code, version, number, json)
       VALUES ${sql} ON CONFLICT (id) DO NOTHING`,
      values,
    );
    return r.rowCount ?? 0;
  }

  private async tx<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    // The server ending the connection between two queries (PostgreSQL restarting) arrives as an
    // 'error' event on the checked-out client: note it (the next query fails) instead of crashing.
    const onError = (e: Error): void => void (broken = e);
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      const out = await work(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch((r: unknown) => {
        broken = r instanceof Error ? r : new Error(String(r));
      });
      throw e;
    } finally {
      c.off('error', onError);
      c.release(broken);
    }
  }

  // ---- reads (sync feed, history, health) ------------------------------------------------------

  async headSeq(): Promise<number> {
    const r = await this.pool.query<{ seq: string }>('SELECT seq FROM log_head WHERE id = 1');
    return Number(r.rows[0].seq);
  }

  async lastSeqOf(scopeCode: string): Promise<number> {
    const col = scopeColumn(scopeCode);
    if (col === null) return this.headSeq();
    const r = await this.pool.query<{ seq: string }>(
      `SELECT coalesce(max(seq), 0) AS seq FROM events WHERE ${col} = $1`,
      [scopeCode],
    );
    return Number(r.rows[0].seq);
  }

  eventsAfter(scopeCode: string, afterSeq: number, limit?: number): Promise<CatchUpResult> {
    return eventsAfter(this.pool, scopeCode, afterSeq, limit);
  }

  async casesPage(scopeCode: string, afterId: string | null, limit: number): Promise<Case[]> {
    const col = scopeColumn(scopeCode);
    // The city reads every case: no scope parameter at all (PostgreSQL cannot type an unused one).
    const r = col
      ? await this.pool.query<{ json: string }>(
          `SELECT json FROM cases WHERE ${col} = $1 AND id > $2 ORDER BY id LIMIT $3`,
          [scopeCode, afterId ?? '', limit],
        )
      : await this.pool.query<{ json: string }>('SELECT json FROM cases WHERE id > $1 ORDER BY id LIMIT $2', [
          afterId ?? '',
          limit,
        ]);
    return r.rows.map((row) => JSON.parse(row.json) as Case);
  }

  async caseById(id: string): Promise<Case | null> {
    const r = await this.pool.query<{ json: string }>('SELECT json FROM cases WHERE id = $1', [id]);
    return r.rows[0] ? (JSON.parse(r.rows[0].json) as Case) : null;
  }

  async caseEvents(id: string): Promise<CaseEvent[]> {
    const r = await this.pool.query<{ json: string }>(
      'SELECT json FROM events WHERE case_id = $1 ORDER BY seq',
      [id],
    );
    return r.rows.map((row) => JSON.parse(row.json) as CaseEvent);
  }

  async referencing(photoHash: string): Promise<Case[]> {
    // As the embedded store: a scan for the hash, then the exact check on the parsed case.
    const r = await this.pool.query<{ json: string }>('SELECT json FROM cases WHERE strpos(json, $1) > 0', [
      photoHash,
    ]);
    return r.rows
      .map((row) => JSON.parse(row.json) as Case)
      .filter((c) => c.photos.includes(photoHash) || c.afterPhotos.includes(photoHash));
  }

  async countCases(): Promise<number> {
    const r = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM cases');
    return Number(r.rows[0].n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
