// The command path (ARCHITECTURE.md "Sync", server side). Every command — from a console, the
// simulated officer app or the server itself — runs here in ONE transaction: claim the
// commandId (a repeat gets the stored answer), authorise, check the state machine and the
// separation rules (src-shared/domain/case-workflow), check the precondition, apply, append
// events, store the answer. A rejection is answered and stored with its reason; it never blocks
// the commands behind it.
import type { Role } from '../../src-shared/domain/case-model';
import { FINAL_STATES, SEAT_ROLES } from '../../src-shared/domain/case-model';
import type { WorkingCalendar } from '../../src-shared/domain/calendar';
import { formatShanghai } from '../../src-shared/domain/calendar';
import {
  PROTOCOL_REJECTION_CODE,
  decide,
  type ActionParams,
  type Actor,
  type CaseView,
  type Decision,
} from '../../src-shared/domain/case-workflow';
import { isWithin } from '../../src-shared/domain/codes';
import { dueAt } from '../../src-shared/domain/deadline';
import type { Command, CommandAnswer, CommandOf, RejectionCode } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent, CaseEventType } from '../../src-shared/protocol/entities';
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

export interface CommandOutcome {
  answer: CommandAnswer;
  /** Events committed by this command with each scope's previous seq, for the live pushes. */
  committed: { event: CaseEvent; prev: Map<string, number> }[];
  /** True when the answer is the stored answer of an earlier identical commandId. */
  repeat: boolean;
}

type Rejection = {
  code: RejectionCode;
  reason: string;
  details?: Record<string, unknown>;
  current: Case | null;
};
type Applied = { events: NewEvent[]; noop: boolean };

const isSeat = (role: Role): boolean => (SEAT_ROLES as readonly Role[]).includes(role);

export class CommandService {
  private readonly cases: CaseStore;
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
    this.findCommand = db.prepare('SELECT client_id, answer FROM commands WHERE command_id = ?');
    this.insertCommand = db.prepare(
      'INSERT INTO commands (command_id, client_id, actor_id, type, received_at, status, answer) VALUES (?, ?, ?, ?, ?, ?, ?)',
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
        const prior = this.findCommand.get(command.commandId) as
          { client_id: string; answer: string } | undefined;
        if (prior) {
          if (prior.client_id !== clientId) {
            return {
              answer: rejected(command.commandId, serverTime, {
                code: 'BAD_REQUEST',
                reason: `commandId ${command.commandId} was already used by another client`,
                current: null,
              }),
              repeat: false,
            };
          }
          return { answer: JSON.parse(prior.answer) as CommandAnswer, repeat: true };
        }
        const result = this.execute(actor, clientId, command, serverTime);
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

  private execute(actor: ActorContext, clientId: string, command: Command, now: number): Applied | Rejection {
    const current = this.cases.get(command.payload.caseId);
    const wfActor: Actor = {
      id: actor.officerId ?? actor.userId,
      role: actor.role,
      scopeCode: actor.scopeCode,
      departmentId: actor.departmentCode,
    };
    const base = {
      actorId: wfActor.id,
      actorRole: actor.role,
      seatId: isSeat(actor.role) ? clientId : null,
      serverTime: now,
      clientTime: command.clientTime,
      commandId: command.commandId,
    };

    switch (command.type) {
      case 'report':
      case 'selfHandle':
        if (current === null) return this.create(command, wfActor, base, now);
        break;
      case 'addNote':
      case 'addPhoto':
      case 'editFields':
        return this.annotate(command, current, actor, wfActor, base);
      default:
        break;
    }
    if (current === null)
      return { code: 'NOT_FOUND', reason: `no case ${command.payload.caseId}`, current: null };

    const params = this.paramsOf(command);
    const decision = decide(toView(current), command.type, wfActor, params as never);
    if (!decision.ok) return this.refusal(decision, current);
    if (decision.noop) return { events: [], noop: true };

    const next = this.applyDecision(current, decision, command, wfActor, now);
    this.cases.put(next);
    return {
      events: [this.eventOf(decision.event, next, base, factsOf(command))],
      noop: false,
    };
  }

  /** report / selfHandle of a new case: locate it, check the category, run the rules, create. */
  private create(
    command: CommandOf<'report'> | CommandOf<'selfHandle'>,
    actor: Actor,
    base: Omit<NewEvent, 'type' | 'caseId' | 'scope' | 'payload' | 'version'>,
    now: number,
  ): Applied | Rejection {
    const p = command.payload;
    const ref = this.ref.pointIndex.lookup(p.lon, p.lat);
    if (!ref) {
      return {
        code: 'BAD_REQUEST',
        reason: `the location ${p.lon.toFixed(6)},${p.lat.toFixed(6)} is outside ${this.ref.nameOf(this.ref.cityCode)}`,
        current: null,
      };
    }
    const category = this.ref.categories.get(p.categoryCode);
    if (!category) return { code: 'NOT_FOUND', reason: `unknown category ${p.categoryCode}`, current: null };
    const source = command.type === 'report' ? command.payload.source : 'patrol';
    const decision =
      command.type === 'report'
        ? decide(null, 'report', actor, { source, gridCode: ref.gridCode })
        : decide(null, 'selfHandle', actor, {
            result: command.payload.result,
            afterPhotos: command.payload.afterPhotos,
            gridCode: ref.gridCode,
            source,
          });
    if (!decision.ok) return this.refusal(decision, null);
    const created: Case = {
      id: p.caseId,
      state: 'reported',
      categoryCode: category.code,
      priority: p.priority ?? category.defaultPriority,
      source,
      description: p.description,
      address: p.address,
      lon: p.lon,
      lat: p.lat,
      gridCode: ref.gridCode,
      villageCode: ref.villageCode,
      townCode: ref.townCode,
      holderCode: ref.villageCode,
      reporterId: actor.id,
      assignee: null,
      assignedBy: null,
      assignedAt: null,
      handlerId: null,
      selfHandled: false,
      supervised: false,
      reworkCount: 0,
      photos: p.photos,
      afterPhotos: command.type === 'selfHandle' ? command.payload.afterPhotos : [],
      suspensions: [],
      stateBeforeSuspend: null,
      reportedAt: now,
      registeredAt: null,
      dispatchedAt: null,
      dueAt: null,
      feedbackAt: command.type === 'selfHandle' ? now : null,
      closedAt: null,
      voidedAt: null,
      version: 0,
    };
    const next = { ...created, ...pickCaseFields(decision.next), version: 1 };
    this.cases.put(next);
    return {
      events: [this.eventOf(decision.event as CaseEventType, next, base, factsOf(command))],
      noop: false,
    };
  }

  /** Append-only notes and photos, and field edits (server order wins; the editor is told). */
  private annotate(
    command: CommandOf<'addNote'> | CommandOf<'addPhoto'> | CommandOf<'editFields'>,
    current: Case | null,
    actor: ActorContext,
    wfActor: Actor,
    base: Omit<NewEvent, 'type' | 'caseId' | 'scope' | 'payload' | 'version'>,
  ): Applied | Rejection {
    if (!current) return { code: 'NOT_FOUND', reason: `no case ${command.payload.caseId}`, current: null };
    if (FINAL_STATES.has(current.state)) {
      return {
        code: 'CASE_CLOSED',
        reason: `case ${current.id} is ${current.state}: its record is final`,
        current,
      };
    }
    const involved =
      wfActor.id === current.reporterId ||
      wfActor.id === current.handlerId ||
      (current.assignee?.kind === 'officer' && current.assignee.id === wfActor.id) ||
      (current.assignee?.kind === 'department' && current.assignee.id === actor.departmentCode);
    if (command.type === 'editFields') {
      if (actor.role !== 'dispatcher' && actor.role !== 'village_operator') {
        return { code: 'FORBIDDEN', reason: `a ${actor.role} may not edit case fields`, current };
      }
      if (!isWithin(current.holderCode, actor.scopeCode)) {
        return {
          code: 'OUT_OF_SCOPE',
          reason: `case ${current.id} is held by ${current.holderCode}, outside ${actor.scopeCode}`,
          current,
        };
      }
      const f = command.payload.fields;
      if (f.categoryCode !== undefined && !this.ref.categories.has(f.categoryCode)) {
        return { code: 'NOT_FOUND', reason: `unknown category ${f.categoryCode}`, current };
      }
      const previous: Record<string, unknown> = {};
      for (const k of Object.keys(f) as (keyof typeof f)[]) previous[k] = current[k];
      const next: Case = { ...current, ...stripUndefined(f), version: current.version + 1 };
      this.cases.put(next);
      const stale = command.baseVersion !== null && command.baseVersion < current.version;
      return {
        events: [
          this.eventOf('case.fields_edited', next, base, {
            fields: f,
            previous,
            overwroteNewerVersion: stale,
          }),
        ],
        noop: false,
      };
    }
    const seatCanSee = isSeat(actor.role) && isWithin(current.gridCode, actor.scopeCode);
    if (!seatCanSee && !involved) {
      return { code: 'OUT_OF_SCOPE', reason: `case ${current.id} is outside your jurisdiction`, current };
    }
    if (command.type === 'addNote') {
      const next = { ...current, version: current.version + 1 };
      this.cases.put(next);
      return {
        events: [this.eventOf('case.note_added', next, base, { text: command.payload.text })],
        noop: false,
      };
    }
    const photos = current.photos.includes(command.payload.photo)
      ? current.photos
      : [...current.photos, command.payload.photo];
    if (photos.length > 32) return { code: 'BAD_REQUEST', reason: 'a case holds at most 32 photos', current };
    const next = { ...current, photos, version: current.version + 1 };
    this.cases.put(next);
    return {
      events: [
        this.eventOf('case.photo_added', next, base, {
          photo: command.payload.photo,
          caption: command.payload.caption ?? null,
        }),
      ],
      noop: false,
    };
  }

  private paramsOf(command: Command): ActionParams[keyof ActionParams] {
    const p = command.payload as Record<string, unknown>;
    switch (command.type) {
      case 'dispatch':
      case 'reassign':
        return { ...p, baseVersion: command.baseVersion } as ActionParams['dispatch'];
      case 'selfHandle':
        return {
          result: command.payload.result,
          afterPhotos: command.payload.afterPhotos,
        };
      default:
        return p;
    }
  }

  private applyDecision(
    current: Case,
    decision: Decision & { ok: true },
    command: Command,
    actor: Actor,
    now: number,
  ): Case {
    const next: Case = { ...current, ...pickCaseFields(decision.next), version: current.version + 1 };
    switch (command.type) {
      case 'verify':
        next.registeredAt = now;
        if (command.payload.categoryCode && this.ref.categories.has(command.payload.categoryCode)) {
          next.categoryCode = command.payload.categoryCode;
        }
        if (command.payload.priority) next.priority = command.payload.priority;
        break;
      case 'void':
        next.voidedAt = now;
        break;
      case 'dispatch':
      case 'reassign':
        next.assignedBy = actor.id;
        next.assignedAt = now;
        if (next.dispatchedAt === null) {
          // The handling clock starts at the first dispatch; a reassignment does not restart it.
          next.dispatchedAt = now;
          next.dueAt = this.dueOf(next);
        }
        break;
      case 'suspend':
        next.suspensions = [
          ...current.suspensions,
          { fromMs: now, toMs: null, reason: command.payload.reason },
        ];
        next.stateBeforeSuspend = current.state;
        next.dueAt = null;
        break;
      case 'resume':
        next.suspensions = current.suspensions.map((s) => (s.toMs === null ? { ...s, toMs: now } : s));
        next.stateBeforeSuspend = null;
        next.dueAt = this.dueOf(next);
        break;
      case 'feedback':
        next.feedbackAt = now;
        next.afterPhotos = command.payload.afterPhotos;
        break;
      case 'selfHandle':
        next.feedbackAt = now;
        next.afterPhotos = command.payload.afterPhotos;
        break;
      case 'close':
        next.closedAt = now;
        break;
      case 'rework':
        next.feedbackAt = null;
        break;
      case 'return':
        next.assignedBy = null;
        next.assignedAt = null;
        break;
      default:
        break;
    }
    return next;
  }

  private dueOf(c: Case): number | null {
    const category = this.ref.categories.get(c.categoryCode);
    if (!category || c.dispatchedAt === null) return null;
    return dueAt(
      { startMs: c.dispatchedAt, limit: category.timeLimit, suspensions: c.suspensions },
      this.calendar,
    );
  }

  private eventOf(
    type: CaseEventType,
    next: Case,
    base: Omit<NewEvent, 'type' | 'caseId' | 'scope' | 'payload' | 'version'>,
    facts: Record<string, unknown>,
  ): NewEvent {
    return {
      ...base,
      type,
      caseId: next.id,
      scope: { gridCode: next.gridCode, villageCode: next.villageCode, townCode: next.townCode },
      // The case as it stands after the event: a console applies it idempotently by version.
      payload: { ...facts, case: next },
      version: next.version,
    };
  }

  private refusal(decision: Decision & { ok: false }, current: Case | null): Rejection {
    const code = PROTOCOL_REJECTION_CODE[decision.code] as RejectionCode;
    const details: Record<string, unknown> = { rule: decision.code };
    let reason = decision.reason;
    if (decision.code === 'ALREADY_ASSIGNED' && current) {
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
    return { code, reason, details, current };
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

function rejected(commandId: string, serverTime: number, r: Rejection): CommandAnswer {
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

function toView(c: Case): CaseView {
  return { ...c, stateBeforeSuspend: c.stateBeforeSuspend };
}

const CASE_VIEW_FIELDS = [
  'state',
  'stateBeforeSuspend',
  'assignee',
  'handlerId',
  'holderCode',
  'reworkCount',
  'supervised',
  'selfHandled',
  'reporterId',
] as const;

/** The workflow's `next` may only touch the fields it owns. */
function pickCaseFields(next: Partial<CaseView>): Partial<Case> {
  const out: Record<string, unknown> = {};
  for (const k of CASE_VIEW_FIELDS) if (k in next) out[k] = next[k];
  if ('assignedBy' in next) out.assignedBy = next.assignedBy ?? null;
  return out;
}

/** What the event records besides the resulting case: the command's own facts (reasons, notes…). */
function factsOf(command: Command): Record<string, unknown> {
  const { caseId: _caseId, ...rest } = command.payload as Record<string, unknown> & { caseId: string };
  return rest;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
