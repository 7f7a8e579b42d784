// The situation map of the open seat (columns: src-shared/ipc/map-data.ts): the reference lists
// as JSON text, the snapshot of open cases, officers and cameras, changed rows, officer fixes as
// they come (recorded as tracks by telemetry-recorder.ts) and the managed places. The map as the
// last clean close left it (map-start-file.ts) answers the first reference and snapshot while
// the cache has not changed since.
import type { Grid, Officer, OfficerFix } from '../../../src-shared/protocol/entities';
import type { ReferenceView } from '../../../src-shared/ipc/contract';
import type { MapCaseChanges, MapPlaces, MapSnapshot, OfficerTrack } from '../../../src-shared/ipc/map-data';
import { err, ok, type Result } from '../../../src-shared/util/result';
import { startMark } from '../../app/start-marks';
import type { CacheStore } from '../cache-store';
import type { DataService } from '../data-service';
import {
  referenceJsonOf,
  saveMapStart,
  takeMapStart,
  type ReferenceText,
  type StoredMap,
} from '../map-start-file';
import { groupTracks, MapView, placesWithin } from '../map-view';
import { pendingOverlay } from '../optimistic-view';
import { PlacesStore, type StoredPlaces } from '../places-store';
import { TelemetryRecorder } from '../telemetry-recorder';

/** The map's parts for the open seat, made at its open and dropped at its close. */
interface OpenMap {
  cache: CacheStore;
  view: MapView;
  recorder: TelemetryRecorder;
  recorderTimer: NodeJS.Timeout;
  places: PlacesStore;
  /** The map columns of the places last read, for as long as the same copy is held. */
  placesView: { key: StoredPlaces; map: MapPlaces } | null;
}

export class MapFeature {
  private open: OpenMap | null = null;
  private referenceText: { cache: CacheStore; text: ReferenceText; json: string | null } | null = null;
  /**
   * The map as the last clean close left it, while the cache has not changed since. `fixes`:
   * officer fixes came since the start (they go into the snapshot's positions, not into its
   * validity).
   */
  private mapStart: { start: StoredMap; fixes: boolean } | null = null;

  constructor(private readonly core: DataService) {}

  /** A seat's cache was opened (DataService.open): its stored map start, views and places. */
  attach(cache: CacheStore, scopeCode: string): void {
    const options = this.core.options;
    const stored = takeMapStart(cache, scopeCode, options.log);
    this.mapStart = stored ? { start: stored, fixes: false } : null;
    startMark('open:map-start');
    const recorder = new TelemetryRecorder(cache, this.core.now, options.trackSampling);
    const recorderTimer = setInterval(() => recorder.flush(), options.telemetryFlushMs ?? 5_000);
    recorderTimer.unref();
    this.open = {
      cache,
      view: new MapView(cache),
      recorder,
      recorderTimer,
      places: new PlacesStore({ ...this.core.seatClient(30_000), scopeCode }),
      placesView: null,
    };
  }

  /**
   * The seat closes: the last fixes are written and, when `save`, the map as the cache holds it
   * now is kept for the next start (map-start-file.ts).
   */
  close(save: boolean): void {
    const open = this.open;
    if (open) {
      clearInterval(open.recorderTimer);
      open.recorder.flush();
      if (save) {
        const { cache, seat } = this.core.require();
        saveMapStart(
          cache,
          seat.scopeCode,
          () => ({ reference: this.referenceTexts().text, snapshot: this.snapshot() }),
          this.core.options.log,
        );
      }
    }
    this.mapStart = null;
    open?.places.close();
    this.open = null;
  }

  /** Fixes from the server: recorded, and sent to the windows as a position batch. */
  receiveFixes(fixes: OfficerFix[]): void {
    const open = this.open;
    if (!open) return;
    open.recorder.receive(fixes);
    if (this.mapStart) this.mapStart.fixes = true;
    // Mid-snapshot the officer list is half written: an order built from it would name a
    // version no map snapshot has. The map gets these fixes from the snapshot instead.
    if (!open.cache.snapshotComplete) return;
    const batch = open.view.positionBatch(fixes);
    if (batch) this.core.emit({ kind: 'positions', batch });
  }

  /** The reference lists changed: the joined text, the map's lookups and places columns go. */
  referenceChanged(): void {
    this.referenceText = null;
    this.open?.view.invalidate();
    if (this.open) this.open.placesView = null;
  }

  /** A change of cases, reference or queued actions: the stored map no longer holds. */
  retireStart(): void {
    this.mapStart = null;
  }

  /** In sync for the first time this session: the places are fetched in the background. */
  connected(): void {
    const places = this.open?.places;
    if (places && !places.checked) void this.refreshPlaces(places);
  }

  private requireOpen(): OpenMap {
    if (!this.open) throw new Error('no seat is logged in');
    return this.open;
  }

  grids(): Grid[] {
    return this.core.require().cache.all('grids');
  }

  positions(): OfficerFix[] {
    return this.core.require().cache.positions();
  }

  officers(): Officer[] {
    return this.core.require().cache.all('officers');
  }

  /** Everything the map and the desk need that is not a case, from the cache. */
  reference(): ReferenceView {
    const { cache } = this.core.require();
    return {
      divisions: cache.all('divisions'),
      grids: cache.all('grids'),
      officers: cache.all('officers'),
      cameras: cache.all('cameras'),
      categories: cache.all('categories'),
      departments: cache.all('departments'),
    };
  }

  /**
   * `reference()` as JSON text joined from the stored rows, kept until the reference changes:
   * the start of every window asks for it, and the objects would cost a parse here, a clone to
   * main and a stringify there (≈ 7 MB for the city).
   */
  referenceJson(): string {
    const held = this.referenceTexts();
    return (held.json ??= referenceJsonOf(held.text));
  }

  /** `map.base`: the reference without the officers' and cameras' objects, as JSON text. */
  baseJson(): string {
    return this.referenceTexts().text.base;
  }

  /** The reference's two texts (map-start-file.ts): the stored map's, else joined from the cache. */
  private referenceTexts(): { text: ReferenceText; json: string | null } {
    const { cache } = this.core.require();
    if (this.referenceText?.cache === cache) return this.referenceText;
    const lists = (kinds: readonly Parameters<CacheStore['allJsonText']>[0][]): string =>
      `{${kinds.map((k) => `"${k}":${cache.allJsonText(k)}`).join(',')}}`;
    const text = this.mapStart
      ? this.mapStart.start.reference()
      : {
          base: lists(['divisions', 'grids', 'categories', 'departments']),
          rest: lists(['officers', 'cameras']),
        };
    this.referenceText = { cache, text, json: null };
    startMark('worker:reference');
    return this.referenceText;
  }

  /** Open cases, officers with their last fix, and cameras of the seat's scope, as columns. */
  snapshot(): MapSnapshot {
    const { cache, outbox, seat } = this.core.require();
    const { view, recorder } = this.requireOpen();
    recorder.flush(); // the last few seconds of fixes are still in memory
    // The map is about to be drawn: the cache's check may run now (after this answer is sent).
    this.core.checkCacheSoon();
    if (this.mapStart) {
      const { start, fixes } = this.mapStart;
      const stored = view.adopt(start.snapshot(), fixes ? cache.positions() : null);
      startMark('worker:snapshot');
      return stored;
    }
    const snapshot = view.snapshot(seat.scopeCode, pendingOverlay(outbox.pending()), cache.positions());
    startMark('worker:snapshot');
    return snapshot;
  }

  /** The map rows of cases that changed; the ones no longer drawn (closed, voided, gone) in `removed`. */
  cases(ids: readonly string[]): MapCaseChanges {
    const { outbox } = this.core.require();
    return this.requireOpen().view.caseChanges(ids, pendingOverlay(outbox.pending()));
  }

  /** Recorded track points in [fromMs, toMs], one track per officer (null ids: every officer). */
  tracks(officerIds: readonly string[] | null, fromMs: number, toMs: number): OfficerTrack[] {
    const { cache } = this.core.require();
    this.requireOpen().recorder.flush();
    return groupTracks(cache.trackRows(officerIds, fromMs, toMs), officerIds);
  }

  /**
   * The seat's managed places (those inside `bbox` = [west, south, east, north] when given):
   * asked of the server once per session (If-None-Match), else the stored copy.
   * PLACES_UNAVAILABLE when there is no copy and the server cannot be asked.
   */
  async places(bbox: readonly [number, number, number, number] | null = null): Promise<Result<MapPlaces>> {
    this.core.require();
    const open = this.requireOpen();
    const store = open.places;
    const online = this.core.connection()?.status !== 'offline';
    if (!store.checked && online) await this.refreshPlaces(store);
    const stored = store.stored();
    if (!stored)
      return err(
        'PLACES_UNAVAILABLE',
        online
          ? 'the dispatch server did not provide the managed places'
          : 'the managed places have not been downloaded yet and the dispatch server cannot be reached',
      );
    if (open.placesView?.key !== stored) {
      open.placesView = {
        key: stored,
        map: open.view.places(stored.slice, stored.marker.checkedAt, !stored.confirmed),
      };
    }
    return ok(bbox ? placesWithin(open.placesView.map, bbox) : open.placesView.map);
  }

  private async refreshPlaces(store: PlacesStore): Promise<void> {
    try {
      const outcome = await store.refresh();
      if (outcome === 'updated' && store === this.open?.places) {
        this.open.placesView = null;
        this.core.emit({ kind: 'places' });
      }
    } catch (e) {
      this.core.options.log?.(`places: refresh failed (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}
