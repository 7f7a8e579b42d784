// Loads the map's data for the seat and keeps it live: position batches go straight to the
// engine (no React render per batch), changed cases are fetched as columns and merged
// (debounced), managed places are fetched the first time the map zooms in close, the cameras'
// objects the first time a camera card opens, and a reference change or a new officer
// order reloads everything. The first frame waits for `map.base` and `map.snapshot` only.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { MapBaseView, ReferenceView, SeatView } from '../../../src-shared/ipc/contract';
import type { Camera } from '../../../src-shared/protocol/entities';
import type { MapSnapshot } from '../../../src-shared/ipc/map-data';
import { bridge } from '../platform/bridge';
import { buildAreas, type MapAreas } from '../../../src-shared/map/areas';
import type { MapEngine } from './map-engine';
import {
  loadBase,
  loadPlaces,
  loadReference,
  loadSnapshot,
  subscribePositions,
  updateCases,
} from './map-source';
import { takeMapPrefetch, type MapPrefetch } from './prefetch';

export type MapData =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; reference: MapBaseView; areas: MapAreas; snapshot: MapSnapshot };

const CASES_DEBOUNCE_MS = 300;

/** Cheap identity of the geometry: codes and vertex counts of divisions and grids. */
export function areasSignature(ref: Pick<ReferenceView, 'divisions' | 'grids'>): string {
  let h = 0;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  };
  for (const d of ref.divisions) mix(`${d.code}:${JSON.stringify(d.geometry?.coordinates.length ?? 0)}`);
  for (const g of ref.grids) mix(`${g.code}:${g.geometry?.coordinates.length ?? 0}:${g.rentalUnits}`);
  return `${ref.divisions.length}/${ref.grids.length}/${h}`;
}

export function useMapData(
  seat: SeatView,
  engine: RefObject<MapEngine | null>,
): {
  data: MapData;
  requestPlaces: () => void;
  /** The cameras' objects, null until asked for (requestCameras) and answered. */
  cameras: readonly Camera[] | null;
  requestCameras: () => void;
} {
  const [data, setData] = useState<MapData>({ state: 'loading' });
  const placesWanted = useRef(false);
  const placesLoading = useRef(false);
  // Held with the seat they were asked for: another seat's never show.
  const [cameras, setCameras] = useState<{ seatId: string; list: readonly Camera[] } | null>(null);
  const camerasWanted = useRef<string | null>(null);
  const camerasAsk = useRef(0);

  /** The full reference for its cameras (≈ 5 MB with the officers: not on the first frame's path). */
  const fetchCameras = useCallback(async (seatId: string): Promise<void> => {
    const ask = ++camerasAsk.current;
    try {
      const ref = await loadReference(bridge());
      if (ask === camerasAsk.current) setCameras({ seatId, list: ref.cameras });
    } catch {
      // The card shows what the snapshot has; asked again at the next reference change.
    }
  }, []);

  const requestCameras = useCallback(() => {
    if (camerasWanted.current === seat.seatId) return;
    camerasWanted.current = seat.seatId;
    void fetchCameras(seat.seatId);
  }, [fetchCameras, seat.seatId]);

  const fetchPlaces = useCallback(async (): Promise<void> => {
    const eng = engine.current;
    if (!eng || placesLoading.current) return;
    placesLoading.current = true;
    try {
      const places = await loadPlaces(bridge());
      if (engine.current === eng) eng.setPlaces(places);
    } catch {
      // No places (never fetched and offline): the layer stays empty; asked again on the next zoom-in.
      placesWanted.current = false;
    } finally {
      placesLoading.current = false;
    }
  }, [engine]);

  const requestPlaces = useCallback(() => {
    if (placesWanted.current) return;
    placesWanted.current = true;
    void fetchPlaces();
  }, [fetchPlaces]);

  useEffect(() => {
    const api = bridge();
    let alive = true;
    let generation = 0;
    let casesTimer: ReturnType<typeof setTimeout> | null = null;
    let changedIds = new Set<string>();
    let casesBusy = false;

    let shown: { signature: string; areas: MapAreas } | null = null;
    const loadAll = async (prefetched: MapPrefetch | null = null): Promise<void> => {
      const gen = ++generation;
      try {
        performance.mark('map:start');
        // Both asked at once (the reference first: it is ready-made text): the worker builds
        // the snapshot while this thread parses the reference and builds the areas from it.
        // Usually they were asked before this code had loaded (prefetch.ts).
        const asked = prefetched?.reference ?? loadBase(api);
        const early = prefetched?.snapshot ?? api.call('map.snapshot');
        const reference = await asked;
        performance.mark('map:reference');
        // A seat's first sync has not brought its grids yet: wait for reference.changed.
        if (reference.grids.length === 0) return;
        // The same divisions and grids keep the same areas object, so the map is not rebuilt.
        const signature = areasSignature(reference);
        if (shown?.signature !== signature) {
          shown = { signature, areas: buildAreas(reference.divisions, reference.grids, seat.scopeCode) };
          placesWanted.current = false;
        }
        performance.mark('map:areas');
        const snapshot = await loadSnapshot(api, seat.scopeCode, early);
        performance.mark('map:snapshot');
        if (!alive || gen !== generation) return;
        setData({ state: 'ready', reference, areas: shown.areas, snapshot });
      } catch (e) {
        if (!alive || gen !== generation) return;
        setData({ state: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    };

    /** A batch for another officer order: take a fresh snapshot (officers, cases, cameras). */
    let reloadingSnapshot = false;
    const reloadSnapshot = async (): Promise<void> => {
      const eng = engine.current;
      if (!eng || reloadingSnapshot) return;
      reloadingSnapshot = true;
      try {
        const snapshot = await loadSnapshot(api, seat.scopeCode);
        if (alive && engine.current === eng) eng.setSnapshot(snapshot);
      } catch {
        // Keep what is on screen; the next mismatching batch asks again.
      } finally {
        reloadingSnapshot = false;
      }
    };

    const flushCases = async (): Promise<void> => {
      const eng = engine.current;
      if (!eng) {
        // The map is not up yet (its snapshot may predate these changes): ask again shortly.
        if (alive && changedIds.size > 0) schedule();
        return;
      }
      if (casesBusy || changedIds.size === 0) return;
      casesBusy = true;
      const ids = [...changedIds];
      changedIds = new Set();
      try {
        const cases = await updateCases(api, eng.currentSnapshot.cases, ids);
        if (alive && engine.current === eng) eng.setCases(cases);
      } catch {
        for (const id of ids) changedIds.add(id);
      } finally {
        casesBusy = false;
        if (changedIds.size > 0) schedule();
      }
    };
    const schedule = (): void => {
      if (casesTimer) clearTimeout(casesTimer);
      casesTimer = setTimeout(() => void flushCases(), CASES_DEBOUNCE_MS);
    };

    const prefetched = takeMapPrefetch(seat.seatId);
    if (prefetched?.referenceChanged) void loadAll();
    else void loadAll(prefetched);
    const offs = [
      subscribePositions(api, (batch) => {
        const eng = engine.current;
        if (eng && eng.applyPositions(batch) < 0) void reloadSnapshot();
      }),
      api.on('cases.changed', ({ ids }) => {
        for (const id of ids) changedIds.add(id);
        schedule();
      }),
      api.on('reference.changed', () => {
        void loadAll();
        if (camerasWanted.current === seat.seatId) void fetchCameras(seat.seatId);
      }),
      api.on('places.changed', () => {
        if (placesWanted.current) void fetchPlaces();
      }),
    ];
    // Cases changed between the early ask and now: fetched once the map is up.
    if (prefetched && prefetched.changedCaseIds.size > 0) {
      for (const id of prefetched.changedCaseIds) changedIds.add(id);
      schedule();
    }
    return () => {
      alive = false;
      if (casesTimer) clearTimeout(casesTimer);
      offs.forEach((off) => off());
    };
  }, [seat.seatId, seat.scopeCode, engine, fetchPlaces, fetchCameras]);

  return {
    data,
    requestPlaces,
    cameras: cameras?.seatId === seat.seatId ? cameras.list : null,
    requestCameras,
  };
}
