// The server's clock for 督办 orders (src-shared/domain/supervision.ts): every `everyMs` (and on
// `tick()`, which the tests call with an injected clock) each open order whose deadline has
// passed is lapsed by the system seat through the one command path — so the lapse, the new
// 市督 of an escalation and the flag to the city leader are events of the case like any other:
// stored, pushed to the seats that see the case, and on its timeline. The commandId is derived
// from the case and the order, so a tick that races another (or a restart) repeats the same
// command and gets the stored answer instead of a second lapse.
import { createHash } from 'node:crypto';
import type { Command, CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import type { Db } from '../store/database';

export interface SupervisionSchedulerOptions {
  db: Db;
  now: () => number;
  /** The system seat's user id (role system); null when the store has none: nothing lapses. */
  systemUserId: string | null;
  execute(userId: string, clientId: string, command: Command): CommandAnswer;
  log?: (line: string) => void;
}

export class SupervisionScheduler {
  private timer: NodeJS.Timeout | null = null;
  private readonly openSupervised;

  constructor(private readonly o: SupervisionSchedulerOptions) {
    this.openSupervised = o.db.prepare(
      "SELECT json FROM cases WHERE state NOT IN ('closed', 'voided') AND json_extract(json, '$.supervisions') IS NOT NULL",
    );
  }

  start(everyMs = 30_000): void {
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Lapses every open order due by now; answers the number lapsed. */
  tick(): number {
    const userId = this.o.systemUserId;
    if (userId === null) return 0;
    const now = this.o.now();
    // Read whole before writing (an open iterator would hold the connection busy).
    const cases = (this.openSupervised.all() as { json: string }[]).map((r) => JSON.parse(r.json) as Case);
    let lapsed = 0;
    for (const c of cases) {
      for (const order of c.supervisions ?? []) {
        if (order.status !== 'open' || order.dueAt > now) continue;
        const answer = this.o.execute(userId, 'server-supervision', {
          commandId: commandIdOf(c.id, order.id, order.dueAt),
          clientId: 'server-supervision',
          type: 'lapseSupervision',
          payload: { caseId: c.id, orderId: order.id },
          baseVersion: null,
          clientTime: now,
        });
        if (answer.status === 'accepted' && !answer.noop) lapsed++;
        else if (answer.status === 'rejected')
          this.o.log?.(`supervision: lapse of ${c.id} ${order.id} refused: ${answer.code} ${answer.reason}`);
      }
    }
    return lapsed;
  }
}

/** One commandId per (case, order): a UUIDv7 at the order's deadline with bits from their hash. */
function commandIdOf(caseId: string, orderId: string, dueAt: number): string {
  const h = createHash('sha256').update(`lapse\0${caseId}\0${orderId}`).digest();
  return uuidv7(dueAt, new Uint8Array(h.subarray(0, 10)));
}
