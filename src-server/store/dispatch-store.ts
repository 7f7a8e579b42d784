// The store behind the command path and the sync feed, as one interface with two engines
// (issue 20): the embedded SQLite store of `npm start` (`SqliteDispatchStore`, a thin adapter over
// CommandService/EventLog/CaseStore, which stay synchronous) and PostgreSQL for several nodes
// (`pg/pg-dispatch-store.ts`). Async because PostgreSQL is. Both evaluate commands with the same
// `CommandService.execute` (the shared rules of src-shared/domain), one transaction per command.
import type { Command } from '../../src-shared/protocol/commands';
import type { Case, CaseEvent } from '../../src-shared/protocol/entities';
import type { ActorContext, CommandOutcome, CommandService } from '../cases/command-service';
import type { CaseStore } from '../cases/case-store';
import type { CatchUpResult, EventLog } from './event-log';

/** What the sync feed (snapshot of cases, catch-up) reads. */
export interface LogReads {
  readonly cityCode: string;
  /** Highest committed seq of the whole log. */
  headSeq(): Promise<number>;
  /** Last committed seq of a scope (city, town, village or grid; 0 when none). */
  lastSeqOf(scopeCode: string): Promise<number>;
  /** A scope's events after a watermark, paged by count and bytes. */
  eventsAfter(scopeCode: string, afterSeq: number, limit?: number): Promise<CatchUpResult>;
  /** Cases of a scope (city: all) ordered by id (byte order), after `afterId`. */
  casesPage(scopeCode: string, afterId: string | null, limit: number): Promise<Case[]>;
}

export interface DispatchStore extends LogReads {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * One command in one transaction: claim the commandId (a repeat by the same user with the same
   * request gets the stored answer, anything else COMMAND_ID_REUSED), evaluate, write the case(s),
   * append the event(s), store the answer. Throws only when nothing was stored (a retry with the
   * same commandId then runs afresh).
   */
  handle(actor: ActorContext, clientId: string, command: Command): Promise<CommandOutcome>;
  caseById(id: string): Promise<Case | null>;
  /** The case's logged events, oldest first. */
  caseEvents(id: string): Promise<CaseEvent[]>;
  countCases(): Promise<number>;
  /** The cases that name a photo (before or after); who may see a photo follows from them. */
  referencing(photoHash: string): Promise<Case[]>;
  close(): Promise<void>;
}

/** The SQLite engine: the embedded store's synchronous objects, answered as promises. */
export class SqliteDispatchStore implements DispatchStore {
  readonly engine = 'sqlite' as const;
  readonly cityCode: string;
  private readonly cases: CaseStore;

  constructor(
    private readonly commands: CommandService,
    private readonly log: EventLog,
  ) {
    this.cityCode = log.cityCode;
    this.cases = commands.store;
  }

  handle(actor: ActorContext, clientId: string, command: Command): Promise<CommandOutcome> {
    return Promise.resolve(this.commands.handle(actor, clientId, command));
  }

  headSeq(): Promise<number> {
    return Promise.resolve(this.log.headSeq());
  }

  lastSeqOf(scopeCode: string): Promise<number> {
    return Promise.resolve(this.log.lastSeqOf(scopeCode));
  }

  eventsAfter(scopeCode: string, afterSeq: number, limit?: number): Promise<CatchUpResult> {
    return Promise.resolve(this.log.after(scopeCode, afterSeq, limit));
  }

  casesPage(scopeCode: string, afterId: string | null, limit: number): Promise<Case[]> {
    return Promise.resolve(this.cases.page(scopeCode, afterId, limit));
  }

  caseById(id: string): Promise<Case | null> {
    return Promise.resolve(this.cases.get(id));
  }

  caseEvents(id: string): Promise<CaseEvent[]> {
    return Promise.resolve(this.log.ofCase(id));
  }

  countCases(): Promise<number> {
    return Promise.resolve(this.cases.count());
  }

  referencing(photoHash: string): Promise<Case[]> {
    return Promise.resolve(this.cases.referencing(photoHash));
  }

  /** The database belongs to the server (it closes it). */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
