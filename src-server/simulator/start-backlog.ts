// The cases open when a simulator starts, read a chunk a tick in id order (reading ~60k case
// rows at once would hold the event loop for a third of a second). Only the cases whose last
// event is at or before the start are handed out: anything later reaches the simulator through
// the log. The field's work (field-work.ts) and the desks (desk-simulator.ts) each keep one.
import type { SimulatorServer } from './field-world';

const BACKLOG_CHUNK = 2_000;

/** A statement taking `@after` (an id) and `@limit`, ordered by id. */
type BacklogStatement = Pick<ReturnType<SimulatorServer['db']['prepare']>, 'all'>;

export class StartBacklog<R extends { id: string; lastSeq: number }> {
  private after = '';
  private done = false;

  constructor(
    private readonly stmt: BacklogStatement,
    /** The log's head sequence at the start. */
    private readonly upTo: number,
  ) {}

  /** All read: the last chunk came back short. */
  get finished(): boolean {
    return this.done;
  }

  /** The next chunk's rows from before the start (none once finished). */
  next(): R[] {
    if (this.done) return [];
    const rows = this.stmt.all({ after: this.after, limit: BACKLOG_CHUNK }) as R[];
    if (rows.length > 0) this.after = rows[rows.length - 1].id;
    if (rows.length < BACKLOG_CHUNK) this.done = true;
    return rows.filter((r) => r.lastSeq <= this.upTo);
  }
}
