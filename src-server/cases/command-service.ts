// The command path (ARCHITECTURE.md "Sync", server side). Every command — from a console, the
// simulated officer app or the server itself — runs here in ONE transaction: claim the
// commandId (a repeat gets the stored answer), authorise, check the state machine and the
// separation rules (src-shared/domain/case-workflow), check the precondition, apply, append
// events, store the answer. A rejection is answered and stored with its reason; it never blocks
// the commands behind it.
import { createHash } from 'node:crypto';
import type { Role } from '../../src-shared/domain/case-model';
import { SEAT_ROLES } from '../../src-shared/domain/case-model';
import type { WorkingCalendar } from '../../src-shared/domain/calendar';
import { formatShanghai } from '../../src-shared/domain/calendar';
import {
  evaluateCommand,
  type CommandActor,
  type CommandEnv,
  type Evaluation,
} from '../../src-shared/domain/case-commands';
import { handlingDueAt } from '../../src-shared/domain/work-rules';
import { dueAt } from '../../src-shared/domain/deadline';
import type { Command, CommandAnswer, RejectionCode } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import { canSeeCase, caseFor } from '../auth/visibility';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';
import type { EventLog, NewEvent } from '../store/event-log';
import { CaseStore } from './case-store';

/** Who sends a command: a seat at a console, a field officer's phone, or the server. */
export interface ActorContext {
  userId: string;
  /** Field officers and department handlers act under their officer id. */
  officerId: string | null;
  role: Role;
  scopeCode: string;
  departmentCode: string | null;
  displayName: string;
}

/** An event a command committed, with each scope's previous seq (for the live pushes). */
export interface CommittedEvent {
  event: CaseEvent;
  prev: Map<string, number>;
}

/**
 * Something that follows every command that committed events (server.ts holds the one list:
 * the briefing's rollups, the live pushes, the alert feed, officers' phones).
 */
export type AfterCommit = (committed: readonly CommittedEvent[]) => void;

export interface CommandOutcome {
  answer: CommandAnswer;
  /** Events committed by this command with each scope's previous seq, for the live pushes. */
  committed: CommittedEvent[];
  /** True when the answer is the stored answer of an earlier identical commandId. */
  repeat: boolean;
}

export type Rejection = {
  code: RejectionCode;
  reason: string;
  details?: Record<string, unknown>;
  current: Case | null;
};
export type Applied = { events: NewEvent[]; noop: boolean };

/**
 * The cases a command reads and writes while it is evaluated: the SQLite store itself, or
 * another engine's staging of the rows it locked (store/pg/pg-dispatch-store.ts).
 */
export interface CaseAccess {
  get(id: string): Case | null;
  byNumber(number: string): Case | null;
  /** Store the case (a case without a human number gets one before its event is written). */
  put(c: Case): void;
}

const isSeat = (role: Role): boolean => (SEAT_ROLES as readonly Role[]).includes(role);

export class CommandService {
  private readonly cases: CaseStore;
  private readonly access: CaseAccess;
  private readonly findCommand;
  private readonly insertCommand;

  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly ref: ReferenceData,
    private readonly calendar: WorkingCalendar,
    private readonly now: () => number,
  ) {
    this.cases = new CaseStore(db);
    this.access = {
      get: (id) => this.cases.get(id),
      byNumber: (n) => this.cases.numbers.find(n),
      put: (c) => this.cases.put(c),
    };
    this.findCommand = db.prepare(
      'SELECT actor_id, request_digest, answer FROM commands WHERE command_id = ?',
    );
    this.insertCommand = db.prepare(
      'INSERT INTO commands (command_id, client_id, actor_id, type, received_at, status, answer, request_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  get store(): CaseStore {
    return this.cases;
  }

  handle(actor: ActorContext, clientId: string, command: Command): CommandOutcome {
    const serverTime = this.now();
    let events: CaseEvent[] = [];
    let outcome: { answer: CommandAnswer; repeat: boolean };
    try {
      outcome = this.db.transaction(() => {
        const digest = requestDigest(command);
        const prior = this.findCommand.get(command.commandId) as StoredCommand | undefined;
        if (prior) return repeatAnswer(prior, actor, command.commandId, digest, serverTime);
        const result = this.execute(actor, command, serverTime);
        let answer: CommandAnswer;
        if ('code' in result) {
          answer = rejected(command.commandId, serverTime, result);
        } else {
          let seq = this.log.nextSeq();
          events = result.events.map((e) => this.log.append(e, seq++));
          for (const e of events) this.cases.touch(e.caseId, e.seq);
          answer = {
            commandId: command.commandId,
            status: 'accepted',
            noop: result.noop,
            events,
            serverTime,
          };
        }
        this.insertCommand.run(
          command.commandId,
          clientId,
          actor.userId,
          command.type,
          serverTime,
          answer.status,
          JSON.stringify(answer),
          digest,
        );
        return { answer, repeat: false };
      })();
    } catch (e) {
      // A bug or a storage failure: nothing was stored, so a retry with the same commandId runs afresh.
      events = [];
      outcome = {
        answer: rejected(command.commandId, serverTime, {
          code: 'INTERNAL',
          reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
          current: null,
        }),
        repeat: false,
      };
    }
    return { ...outcome, committed: this.log.committed(events) };
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Evaluate a command with the shared rules against `cases` and build its events (the cases it
   * changes are `put` there). Every engine's command path runs this, inside its transaction.
   */
  execute(
    actor: ActorContext,
    command: Command,
    now: number,
    cases: CaseAccess = this.access,
  ): Applied | Rejection {
    const current = cases.get(command.payload.caseId);
    const wfActor: CommandActor = {
      id: actor.officerId ?? actor.userId,
      role: actor.role,
      scopeCode: actor.scopeCode,
      departmentId: actor.departmentCode,
    };
    const env: CommandEnv = {
      now,
      locate: (lon, lat) => this.ref.pointIndex.lookup(lon, lat),
      category: (code) => this.ref.categories.get(code),
      department: (code) => this.ref.departments.get(code),
      dueOf: (c) => this.dueOf(c),
      workingMsBetween: (a, b) => this.calendar.workingMsBetween(a, b),
      dueFrom: (startMs, limit) => dueAt({ startMs, limit, suspensions: [] }, this.calendar) ?? startMs,
      areaName: this.ref.nameOf(this.ref.cityCode),
      caseById: (id) => cases.get(id),
      caseByNumber: (n) => cases.byNumber(n),
    };
    // A command naming an officer, department or division that does not exist is refused (it
    // would put the case in `dispatched` to nobody with its clock running).
    const unknown = current && canSeeCase(actor, current) ? this.unknownReference(command) : null;
    if (unknown)
      return {
        code: 'NOT_FOUND',
        reason: unknown.reason,
        details: { rule: unknown.rule },
        current: current && caseFor(actor, current),
      };
    const result = evaluateCommand(current, command, wfActor, env);
    if (!result.ok) {
      // A case the actor may not see is answered exactly like a case that does not exist: no
      // `current`, no details, no reason naming its holder or assignee — ids cannot be probed.
      if (result.current && !canSeeCase(actor, result.current)) return unseen(command);
      return this.refusal(result.current ? { ...result, current: caseFor(actor, result.current) } : result);
    }
    if (result.noop) return { events: [], noop: true };
    const changed = [
      { eventType: result.eventType, next: result.next, facts: result.facts },
      ...(result.also ?? []),
    ];
    const events = changed.map(({ eventType, next, facts }): NewEvent => {
      cases.put(next);
      return {
        actorId: wfActor.id,
        actorRole: actor.role,
        // The seat is the authenticated user, never a name the client chose.
        seatId: isSeat(actor.role) ? actor.userId : null,
        serverTime: now,
        clientTime: command.clientTime,
        commandId: command.commandId,
        type: eventType,
        caseId: next.id,
        scope: { gridCode: next.gridCode, villageCode: next.villageCode, townCode: next.townCode },
        // The case as it stands after the event: a console applies it idempotently by version.
        payload: { ...facts, case: next },
        version: next.version,
      };
    });
    return { events, noop: false };
  }

  private unknownReference(command: Command): { rule: string; reason: string } | null {
    if (command.type === 'dispatch' || command.type === 'reassign') {
      const a = command.payload.assignee;
      if (a.kind === 'officer' && !this.ref.officers.has(a.id))
        return { rule: 'UNKNOWN_OFFICER', reason: `no officer ${a.id}` };
      if (a.kind === 'department' && !this.ref.departments.has(a.id))
        return { rule: 'UNKNOWN_DEPARTMENT', reason: `no department ${a.id}` };
      const co = command.type === 'dispatch' ? (command.payload.coUnits ?? []) : [];
      const missing = co.find((code) => !this.ref.departments.has(code));
      if (missing !== undefined) return { rule: 'UNKNOWN_DEPARTMENT', reason: `no unit ${missing}` };
    }
    if (command.type === 'delegate') {
      const to = command.payload.toCode;
      if (!this.ref.divisionNames.has(to) && !this.ref.grids.has(to))
        return { rule: 'UNKNOWN_DIVISION', reason: `no division ${to}` };
    }
    return null;
  }

  private dueOf(c: Case): number | null {
    const category = this.ref.categories.get(c.categoryCode);
    return category ? handlingDueAt(c, category.timeLimit, this.calendar) : null;
  }

  /** A refusal, with the winner of a dispatch race named so the loser can be told who and when. */
  private refusal(r: Evaluation & { ok: false }): Rejection {
    const details: Record<string, unknown> = { rule: r.rule };
    let reason = r.reason;
    const current = r.current;
    if (r.code === 'ALREADY_ASSIGNED' && current) {
      const by = current.assignedBy;
      details.by = by;
      details.byName = by ? this.displayNameOf(by) : null;
      details.at = current.assignedAt;
      details.assignee = current.assignee;
      reason =
        `case ${current.id} was already dispatched to ${this.describeAssignee(current)}` +
        (by ? ` by ${this.displayNameOf(by)}` : '') +
        (current.assignedAt ? ` at ${formatShanghai(current.assignedAt)}` : '');
    }
    return { code: r.code, reason, details, current };
  }

  private describeAssignee(c: Case): string {
    if (!c.assignee) return 'nobody';
    if (c.assignee.kind === 'officer') {
      const o = this.ref.officers.get(c.assignee.id);
      return o ? `${o.name} (${o.number})` : c.assignee.id;
    }
    return this.ref.departments.get(c.assignee.id)?.name ?? c.assignee.id;
  }

  private displayNameOf(id: string): string {
    const row = this.db
      .prepare('SELECT display_name FROM users WHERE id = ? OR officer_id = ?')
      .get(id, id) as { display_name: string } | undefined;
    return row?.display_name ?? id;
  }
}

/** The refusal for a command naming a case outside the actor's view (same bytes as a missing case). */
function unseen(command: Command): Rejection {
  const id = command.payload.caseId;
  if (command.type === 'report' || command.type === 'selfHandle')
    return {
      code: 'DUPLICATE_CASE_ID',
      reason: `case id ${id} is already taken`,
      details: { rule: 'DUPLICATE_CASE_ID' },
      current: null,
    };
  return { code: 'NOT_FOUND', reason: `no case ${id}`, details: { rule: 'NOT_FOUND' }, current: null };
}

/** A commandId's stored row (both engines keep the same columns). */
export interface StoredCommand {
  actor_id: string;
  request_digest: string | null;
  answer: string;
}

/**
 * The answer to a commandId already claimed. A stored answer goes back only to the user who sent
 * the command, and only for the very same request: anything else is refused without a word of
 * the stored answer.
 */
export function repeatAnswer(
  prior: StoredCommand,
  actor: Pick<ActorContext, 'userId'>,
  commandId: string,
  digest: string,
  serverTime: number,
): { answer: CommandAnswer; repeat: boolean } {
  if (prior.actor_id !== actor.userId || (prior.request_digest ?? digest) !== digest) {
    return {
      answer: rejected(commandId, serverTime, {
        code: 'COMMAND_ID_REUSED',
        reason: `commandId ${commandId} was already used for another request`,
        current: null,
      }),
      repeat: false,
    };
  }
  return { answer: JSON.parse(prior.answer) as CommandAnswer, repeat: true };
}

/** sha256 of what a command asks for (not when or from which console it was sent). */
export function requestDigest(command: Command): string {
  return createHash('sha256')
    .update(JSON.stringify([command.type, command.payload, command.baseVersion]))
    .digest('hex');
}

export function rejected(commandId: string, serverTime: number, r: Rejection): CommandAnswer {
  return {
    commandId,
    status: 'rejected',
    code: r.code,
    reason: r.reason,
    ...(r.details ? { details: r.details } : {}),
    current: r.current,
    serverTime,
  };
}
