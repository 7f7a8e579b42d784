// The case desk: the queue as compact columns (desk-view.ts), the rows of changed cases, officers
// ranked for a dispatch, the 督办 orders, the seat's figures (from the server, desk-figures.ts)
// and case photos fetched with the seat's token.
import type { DeskFiguresView } from '../../../src-shared/desk/figures';
import type { DeskQueue, DeskRowChanges } from '../../../src-shared/desk/queue-data';
import { rankOfficers, type RankedOfficer } from '../../../src-shared/desk/recommend';
import { supervisionItems, type SupervisionItem } from '../../../src-shared/desk/supervision-list';
import type { Case } from '../../../src-shared/protocol/entities';
import type { Result } from '../../../src-shared/util/result';
import type { DataService } from '../data-service';
import { PhotoFetcher, type CasePhoto } from '../desk-photos';
import { DeskView, supervisedCaseIds } from '../desk-view';
import { pendingOverlay } from '../optimistic-view';
import { SeatSlot } from '../seat-slot';
import { DeskFiguresClient } from './desk-figures';

export class DeskFeature {
  private readonly view = new SeatSlot((cache) => new DeskView(cache));
  private readonly photos = new SeatSlot(() => {
    const { seat } = this.core.require();
    return new PhotoFetcher(
      seat.serverUrl,
      () => this.core.seatToken,
      this.core.http.fetch,
      this.core.options.requestTimeoutMs ?? 10_000,
    );
  });
  private readonly figuresClient = new SeatSlot(
    () =>
      new DeskFiguresClient({
        ...this.core.seatClient(15_000),
        online: () => this.core.connection()?.status !== 'offline',
      }),
  );

  constructor(private readonly core: DataService) {}

  /** The open cases of the seat as compact queue columns (no case JSON). */
  queue(): DeskQueue {
    const { cache, outbox, seat } = this.core.require();
    const rows = this.view.of(cache).queue(pendingOverlay(outbox.pending()));
    return { scopeCode: seat.scopeCode, at: this.core.now(), rows };
  }

  /** Queue rows of changed cases; those no longer open in `removed`. */
  rows(ids: readonly string[]): DeskRowChanges {
    const { cache, outbox } = this.core.require();
    return this.view.of(cache).rows(ids, pendingOverlay(outbox.pending()));
  }

  /** Officers ranked for a case by grid, distance from the last fix, status and load. */
  recommend(caseId: string, limit = 5): RankedOfficer[] {
    const { cache, outbox } = this.core.require();
    const c = this.core.cases.shown(caseId, cache, outbox);
    if (!c) return [];
    const fixes = new Map(cache.positions().map((f) => [f.officerId, f]));
    const loads = this.view.of(cache).loads();
    return rankOfficers(c, cache.all('officers'), fixes, loads, { now: this.core.now(), limit });
  }

  /** The 督办 orders on the cases this console holds, as it shows them (supervision-list.ts). */
  supervisionList(): SupervisionItem[] {
    const { cache, outbox } = this.core.require();
    const ids = new Set(supervisedCaseIds(cache.db));
    for (const e of outbox.pending()) ids.add(e.caseId);
    const shown: { case: Case; pending: boolean }[] = [];
    const pending = new Set(outbox.pending().map((e) => e.caseId));
    for (const id of ids) {
      const c = this.core.cases.shown(id, cache, outbox);
      if (c?.supervisions?.length) shown.push({ case: c, pending: pending.has(id) });
    }
    return supervisionItems(shown);
  }

  /**
   * Closure, on-time closure, rework, on-time and accurate dispatch rates, today and this week,
   * as the server computed them over its records (desk-figures.ts); the last copy offline.
   */
  async figures(): Promise<DeskFiguresView> {
    return this.figuresClient.of(this.core.require().cache).get();
  }

  /** A case photo's bytes, fetched with the seat's token (the renderer never holds it). */
  casePhoto(hash: string): Promise<Result<CasePhoto>> {
    return this.photos.of(this.core.require().cache).get(hash);
  }
}
