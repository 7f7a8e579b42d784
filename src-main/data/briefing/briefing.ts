// The weekly briefing: the seat's rollups (briefing-store.ts, one store per opened seat), a
// week's analysis with the 督办 and 准确派遣率 sections over the cases this console holds, the
// cases behind a figure (from the server, the cache offline), hot spots and the export.
import { isWithin } from '../../../src-shared/domain/codes';
import type { DrillFilter } from '../../../src-shared/briefing/briefing';
import type { Locale } from '../../../src-shared/briefing/explain';
import type {
  BriefingDrillResult,
  BriefingExportFile,
  BriefingExportKind,
  BriefingHotSpot,
  BriefingReport,
  BriefingStatus,
} from '../../../src-shared/briefing/view';
import { supervisionWeek } from '../../../src-shared/desk/supervision-list';
import { accurateDispatchByTown } from '../../../src-shared/domain/work-rules';
import type { Case } from '../../../src-shared/protocol/entities';
import { exportBriefing } from '../briefing-export';
import { BriefingStore, drillCases, type BriefingCacheView } from '../briefing-store';
import type { CacheStore } from '../cache-store';
import type { DataService } from '../data-service';
import { dispatchedBetween } from '../desk-view';
import { SeatSlot } from '../seat-slot';

export class BriefingFeature {
  private readonly stores = new SeatSlot(
    () => {
      const { seat } = this.core.require();
      return new BriefingStore({ ...this.core.seatClient(30_000), seatScope: seat.scopeCode });
    },
    (store) => store.close(),
  );

  constructor(private readonly core: DataService) {}

  private storeOf(): { cache: CacheStore; store: BriefingStore; view: BriefingCacheView } {
    const { cache } = this.core.require();
    const view: BriefingCacheView = {
      cases: () => cache.listCases(),
      grids: () => cache.all('grids'),
      officers: () => cache.all('officers'),
    };
    return { cache, store: this.stores.of(cache), view };
  }

  /** Weeks, areas and freshness of the rollups; asks the server once a session, or when `refresh`. */
  async status(refresh = false): Promise<BriefingStatus> {
    const { store } = this.storeOf();
    let reason: string | null = null;
    if (refresh || !store.checked) {
      const outcome = await store.refresh();
      if (outcome === 'failed') reason = 'the dispatch server could not be asked for newer rollups';
    }
    return store.status(reason);
  }

  analyse(week: number | null, scope: string | null): BriefingReport {
    const { store, view, cache } = this.storeOf();
    const report = store.analyse(view, week, scope);
    const names = new Map(cache.all('divisions').map((d) => [d.code, d.name]));
    const named = <T extends { townCode: string }>(lines: T[]) =>
      lines.map((l) => ({ ...l, name: names.get(l.townCode) ?? l.townCode }));
    const { towns, total } = supervisionWeek(
      this.core.desk.supervisionList(),
      report.fromMs,
      report.toMs,
      report.scope.code,
    );
    const dispatch = accurateDispatchByTown(
      dispatchedBetween(cache.db, report.fromMs, report.toMs).filter((c) =>
        isWithin(c.villageCode, report.scope.code),
      ),
      report.fromMs,
      report.toMs,
    );
    return {
      ...report,
      accurateDispatch: { towns: named(dispatch.towns), total: dispatch.total },
      supervision: { towns: named(towns), total },
    };
  }

  /** The cases of this console's cache behind a figure (open and recent cases only). */
  drill(filter: DrillFilter, limit?: number): BriefingDrillResult {
    const all = this.core.cases.list().map((r) => r.case);
    return { ...drillCases(all, filter, limit), source: 'cache' };
  }

  /**
   * The cases behind a figure from the dispatch server (POST /api/briefing/drill: the history's
   * closed cases too, scope-checked there); from the cache when the server cannot be asked.
   */
  async drillFromServer(filter: DrillFilter, limit?: number): Promise<BriefingDrillResult> {
    const local = this.drill(filter, limit);
    if (this.core.connection()?.status === 'offline') return local;
    const { seat } = this.core.require();
    const token = this.core.seatToken;
    if (!token) return local;
    try {
      const res = await this.core.http.fetch(`${seat.serverUrl}/api/briefing/drill`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filter, limit: Math.min(limit ?? 200, 500) }),
        signal: AbortSignal.timeout(Math.max(30_000, this.core.options.requestTimeoutMs ?? 0)),
      });
      const body = (await res.json()) as { ok: boolean; data?: { cases: Case[]; total: number } };
      if (!res.ok || !body.ok || !body.data) return local;
      return { filter, cases: body.data.cases, total: body.data.total, source: 'server' };
    } catch (e) {
      this.core.options.log?.(`briefing drill: ${e instanceof Error ? e.message : String(e)}`);
      return local;
    }
  }

  hotSpots(week: number, scope: string | null, majorCode?: string): BriefingHotSpot[] {
    const { store, view } = this.storeOf();
    return store.hotSpots(view, week, scope, majorCode);
  }

  export(
    kind: BriefingExportKind,
    week: number | null,
    scope: string | null,
    locale: Locale,
  ): BriefingExportFile {
    return exportBriefing(this.analyse(week, scope), kind, locale);
  }
}
