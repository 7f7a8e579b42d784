// The outbox: the operator's actions that the server has not yet answered, in their own SQLite
// file with synchronous=FULL. A row holds the command AND its optimistic result (the case as
// the console predicts it), so "queued" is one durable write: after a crash, a power cut or a
// corrupt cache, every queued action is still here and is sent again with the same commandId.
// Settled rows keep the server's answer; rejected ones form the conflicts list.
import type { Command, CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { OUTBOX_MIGRATIONS } from './migrations';
import { checkIntegrity, openSqlite, runMigrations, type Db } from './sqlite';

export type OutboxStatus = 'pending' | 'confirmed' | 'rejected';

export interface OutboxEntry {
  seq: number;
  commandId: string;
  type: Command['type'];
  caseId: string;
  command: Command;
  /** The case as this console expects it after the command (null when not predictable). */
  optimistic: Case | null;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  settledAt: number | null;
  answer: CommandAnswer | null;
  acknowledged: boolean;
  /** Not sent before this time (epoch ms): the undo window of a one-click action; null = now. */
  holdUntil: number | null;
}

/** What became of an undo: withdrawn before sending, or too late / unknown / not the last. */
export type WithdrawOutcome = 'withdrawn' | 'sent' | 'unknown' | 'later-actions';

interface Row {
  seq: number;
  command_id: string;
  type: string;
  case_id: string;
  command: string;
  optimistic: string | null;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  created_at: number;
  settled_at: number | null;
  answer: string | null;
  acknowledged: number;
  hold_until: number | null;
}

const toEntry = (r: Row): OutboxEntry => ({
  seq: r.seq,
  commandId: r.command_id,
  type: r.type as Command['type'],
  caseId: r.case_id,
  command: JSON.parse(r.command) as Command,
  optimistic: r.optimistic === null ? null : (JSON.parse(r.optimistic) as Case),
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
  settledAt: r.settled_at,
  answer: r.answer === null ? null : (JSON.parse(r.answer) as CommandAnswer),
  acknowledged: r.acknowledged === 1,
  holdUntil: r.hold_until,
});

export class OutboxStore {
  private constructor(readonly db: Db) {}

  static open(file: string): OutboxStore {
    const db = openSqlite(file, { synchronous: 'FULL' });
    try {
      checkIntegrity(db, file);
      runMigrations(db, OUTBOX_MIGRATIONS, file);
    } catch (e) {
      db.close();
      // Never move the outbox aside silently: it may hold the only copy of an operator's work.
      throw e;
    }
    return new OutboxStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** A stable id for this console installation and seat (the server dedupes per client). */
  clientId(generate: () => string): string {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'client_id'").get() as
      { value: string } | undefined;
    if (row) return row.value;
    const id = generate();
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('client_id', ?)").run(id);
    return id;
  }

  enqueue(
    command: Command,
    optimistic: Case | null,
    now: number,
    holdUntil: number | null = null,
  ): OutboxEntry {
    this.db
      .prepare(
        `INSERT INTO outbox (command_id, type, case_id, command, optimistic, status, created_at, hold_until)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(
        command.commandId,
        command.type,
        command.payload.caseId,
        JSON.stringify(command),
        optimistic ? JSON.stringify(optimistic) : null,
        now,
        holdUntil,
      );
    return this.get(command.commandId)!;
  }

  /**
   * Undo: take a pending command out of the outbox while its hold lasts (it was never sent:
   * the sync engine sends nothing held). Refused once the hold is over (it may be on the wire),
   * and when a later pending action on the same case builds on it.
   */
  withdraw(commandId: string, now: number): WithdrawOutcome {
    return this.db.transaction((): WithdrawOutcome => {
      const e = this.get(commandId);
      if (!e) return 'unknown';
      if (e.status !== 'pending' || e.holdUntil === null || e.holdUntil <= now) return 'sent';
      const later = this.db
        .prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND case_id = ? AND seq > ?")
        .get(e.caseId, e.seq) as { n: number };
      if (later.n > 0) return 'later-actions';
      this.db.prepare('DELETE FROM outbox WHERE command_id = ?').run(commandId);
      return 'withdrawn';
    })();
  }

  get(commandId: string): OutboxEntry | null {
    const r = this.db.prepare('SELECT * FROM outbox WHERE command_id = ?').get(commandId) as Row | undefined;
    return r ? toEntry(r) : null;
  }

  /** Pending commands in the order the operator gave them. */
  pending(): OutboxEntry[] {
    return (this.db.prepare("SELECT * FROM outbox WHERE status = 'pending' ORDER BY seq").all() as Row[]).map(
      toEntry,
    );
  }

  pendingCount(): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }
    ).n;
  }

  noteAttempt(commandId: string, error: string | null): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE command_id = ?')
      .run(error, commandId);
  }

  /** Record the server's answer; only a pending entry can settle (a repeat answer is ignored). */
  settle(commandId: string, answer: CommandAnswer, now: number): boolean {
    const status: OutboxStatus = answer.status === 'accepted' ? 'confirmed' : 'rejected';
    return (
      this.db
        .prepare(
          "UPDATE outbox SET status = ?, answer = ?, settled_at = ? WHERE command_id = ? AND status = 'pending'",
        )
        .run(status, JSON.stringify(answer), now, commandId).changes === 1
    );
  }

  /** Rejected commands the operator has not dismissed: the conflicts list. */
  conflicts(includeAcknowledged = false): OutboxEntry[] {
    const sql = `SELECT * FROM outbox WHERE status = 'rejected' ${includeAcknowledged ? '' : 'AND acknowledged = 0'} ORDER BY seq`;
    return (this.db.prepare(sql).all() as Row[]).map(toEntry);
  }

  acknowledge(commandId: string): boolean {
    return (
      this.db
        .prepare("UPDATE outbox SET acknowledged = 1 WHERE command_id = ? AND status = 'rejected'")
        .run(commandId).changes === 1
    );
  }

  all(): OutboxEntry[] {
    return (this.db.prepare('SELECT * FROM outbox ORDER BY seq').all() as Row[]).map(toEntry);
  }
}
