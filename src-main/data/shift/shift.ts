// The dispatcher's shift: what is open now, the handover (a record on the workstation, then the
// seat logs out), the workstation's record of who held the seat, and the alert feed of the
// seat's scope (server truth; the last copy, marked stale, while the server cannot be asked).
import { tabCounts } from '../../../src-shared/desk/queue';
import { decodeDeskRows } from '../../../src-shared/desk/queue-data';
import type {
  AlertFeed,
  AlertView,
  HandoverRecord,
  ShiftOpenItems,
  ShiftSummary,
} from '../../../src-shared/ipc/contract';
import { err, ok, type Result } from '../../../src-shared/util/result';
import type { DataService } from '../data-service';
import { SeatSlot } from '../seat-slot';
import { appendHandover, readHandovers } from '../shift-log';

export class ShiftFeature {
  /** The last alert feed the server gave the open seat. */
  private readonly alertCache = new SeatSlot(
    (): { last: { alerts: AlertView[]; fetchedAt: number } | null } => ({
      last: null,
    }),
  );

  constructor(private readonly core: DataService) {}

  /** The open items of the seat now: desk tab counts plus unsent and refused work. */
  private openItems(): ShiftOpenItems {
    const { outbox } = this.core.require();
    const c = tabCounts(decodeDeskRows(this.core.desk.queue().rows), this.core.now());
    return {
      pending: outbox.pendingCount(),
      conflicts: outbox.conflicts().length,
      verify: c.verify,
      dispatch: c.dispatch,
      overdue: c.overdue,
      check: c.check,
      suspended: c.suspended,
    };
  }

  summary(): ShiftSummary {
    const { seat } = this.core.require();
    return { seat, from: this.core.seatOpenedAt, openItems: this.openItems() };
  }

  /**
   * Hand over and log out: the shift (seat, from, to, note, open items) goes into the
   * workstation's record, then the seat logs out (DataService.logOut). Queued actions stay in
   * the seat's outbox and are sent when that seat logs in again.
   */
  async logout(note: string): Promise<HandoverRecord> {
    const { seat } = this.core.require();
    const record: HandoverRecord = {
      seatId: seat.seatId,
      userName: seat.userName,
      displayName: seat.displayName,
      from: this.core.seatOpenedAt,
      to: this.core.now(),
      note: note.trim(),
      openItems: this.openItems(),
    };
    appendHandover(this.core.options.dataDir, record);
    await this.core.logOut();
    return record;
  }

  /** Who held which seat when on this workstation, newest first. */
  log(limit = 50): HandoverRecord[] {
    return readHandovers(this.core.options.dataDir, limit);
  }

  /** The alert feed of the seat's scope (server truth; the last copy, marked stale, offline). */
  async alerts(): Promise<AlertFeed> {
    const { cache, seat } = this.core.require();
    const held = this.alertCache.of(cache);
    try {
      const res = await this.core.http.fetch(`${seat.serverUrl}/api/alerts`, {
        headers: { authorization: `Bearer ${this.core.seatToken ?? ''}` },
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as {
        ok: boolean;
        data?: { alerts: AlertView[]; escalateAfterMs: number };
      };
      if (!body.ok || !body.data) throw new Error(`HTTP ${res.status}`);
      held.last = { alerts: body.data.alerts, fetchedAt: this.core.now() };
      return { ...held.last, stale: false, escalateAfterMs: body.data.escalateAfterMs };
    } catch {
      return {
        alerts: held.last?.alerts ?? [],
        fetchedAt: held.last?.fetchedAt ?? null,
        stale: true,
        escalateAfterMs: null,
      };
    }
  }

  /** Acknowledge an alert as this seat (the server records who and when). */
  async ackAlert(id: string): Promise<Result<AlertView>> {
    const { seat } = this.core.require();
    let res: Response;
    try {
      res = await this.core.http.fetch(`${seat.serverUrl}/api/alerts/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.core.seatToken ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      return err(
        'SERVER_UNREACHABLE',
        'the dispatch server cannot be reached: acknowledge again when the link is back',
      );
    }
    const body = (await res.json().catch(() => null)) as {
      ok: boolean;
      data?: { alert: AlertView };
      error?: { code: string; message: string };
    } | null;
    if (!body?.ok || !body.data)
      return err(body?.error?.code ?? 'INTERNAL', body?.error?.message ?? `HTTP ${res.status}`);
    return ok(body.data.alert);
  }
}
