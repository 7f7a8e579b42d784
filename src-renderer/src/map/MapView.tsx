// 态势地图: the dispatcher's main screen. React holds the UI state (selection, toggles, search,
// replay) and hands it to the MapEngine; data and position batches flow into the engine
// without a React render (see use-map-data.ts).
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
} from 'react';
import type { SeatView } from '../../../src-shared/ipc/contract';
import type { MapSnapshot, OfficerTrack } from '../../../src-shared/ipc/map-data';
import { useI18n } from '../i18n';
import { Overview } from '../session/Overview';
import type { Choropleth, ChoroplethMode } from '../../../src-shared/map/choropleth';
import type { DrawMode } from '../../../src-shared/map/aggregate';
import { pickSummary } from './describe';
import { cameraMoveForKey } from '../../../src-shared/map/keyboard';
import { LayerPanel } from './LayerPanel';
import { tripsOf, type Replay } from '../../../src-shared/map/layers/tracks-layer';
import { MapEngine } from './map-engine';
import type { MapPick, MapSelection } from './map-picks';
import { installMapDebug } from './map-debug';
import { MapLegend } from './MapLegend';
import { MapSearch } from './MapSearch';
import {
  loadMode,
  loadTileUrl,
  loadToggles,
  loadView,
  saveMode,
  saveTileUrl,
  saveToggles,
  saveView,
  type LayerToggles,
} from './map-settings';
import { ReplayBar } from './ReplayBar';
import type { SearchHit } from '../../../src-shared/map/search';
import { SelectionCard } from './SelectionCard';
import { publishMapPick, useMapSelectionBus } from '../windows/map-bus';
import { loadTracks } from './map-source';
import { mergeTracks } from '../../../src-shared/map/track-recorder';
import { useMapData } from './use-map-data';
import { bridge } from '../platform/bridge';
import { FLY_ZOOM } from '../../../src-shared/map/zoom-rules';
import { useAlertFeed } from '../shift/AlertFeed';
import { useOffline } from '../shift/connection-context';
import { UndoToast } from '../shift/UndoToast';
import { useDropDispatch } from './use-drop-dispatch';

interface Hover {
  pick: MapPick;
  x: number;
  y: number;
}

/** The hover state lives outside React so moving the mouse re-renders only the tooltip. */
class HoverStore {
  private value: Hover | null = null;
  private readonly listeners = new Set<() => void>();
  set(v: Hover | null): void {
    if (v === null && this.value === null) return;
    this.value = v;
    for (const l of this.listeners) l();
  }
  get = (): Hover | null => this.value;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

interface ReplayState {
  officers: number[];
  windowMin: number;
  replay: Replay;
  local: boolean;
}

const prefersReducedMotion = (): boolean =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** `children` are shown under the cards in the side column (the shell's own panels). */
export function MapView({ seat, children }: { seat: SeatView; children?: ReactNode }) {
  const { t, locale } = useI18n();
  const engineRef = useRef<MapEngine | null>(null);
  const containerRef = useRef<HTMLDivElement | null>(null);
  const { data, requestPlaces, cameras, requestCameras } = useMapData(seat, engineRef);
  const [engine, setEngine] = useState<MapEngine | null>(null);
  const [mode, setMode] = useState<ChoroplethMode>(loadMode);
  const [toggles, setToggles] = useState<LayerToggles>(loadToggles);
  const [selection, setSelection] = useState<MapSelection>(null);
  const [choropleth, setChoropleth] = useState<Choropleth | null>(null);
  const [drawMode, setDrawMode] = useState<DrawMode>('points');
  const [tileUrl, setTileUrl] = useState<string | null>(loadTileUrl);
  const [tileFallback, setTileFallback] = useState(false);
  const [replay, setReplay] = useState<ReplayState | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const hover = useMemo(() => new HoverStore(), []);
  const dropped = useDropDispatch(seat);
  const offline = useOffline();
  const dropCase = useRef(dropped.drop);
  useEffect(() => {
    dropCase.current = dropped.drop;
  }, [dropped.drop]);

  // The settings a new engine starts with (a rebuilt engine keeps what the operator chose);
  // a running engine gets changes through the handlers below.
  const settings = useRef({ mode, toggles, tileUrl });
  useEffect(() => {
    settings.current = { mode, toggles, tileUrl };
  }, [mode, toggles, tileUrl]);
  const select = useRef<(s: MapSelection) => void>(() => undefined);
  const needPlaces = useRef(requestPlaces);
  useEffect(() => {
    needPlaces.current = requestPlaces;
  }, [requestPlaces]);

  const areas = data.state === 'ready' ? data.areas : null;
  const snapshot = data.state === 'ready' ? data.snapshot : null;
  // The engine starts from the latest snapshot; later ones are handed over without a rebuild.
  const latestSnapshot = useRef<MapSnapshot | null>(null);
  useEffect(() => {
    latestSnapshot.current = snapshot;
  }, [snapshot]);
  useEffect(() => {
    const start = latestSnapshot.current;
    if (!areas || !start || !containerRef.current) return;
    performance.mark('map:engine-start');
    const eng = new MapEngine({
      container: containerRef.current,
      areas,
      snapshot: start,
      initialView: loadView(seat.seatId),
      tileUrl: settings.current.tileUrl,
      mode: settings.current.mode,
      toggles: settings.current.toggles,
      reducedMotion: prefersReducedMotion(),
      events: {
        onHover: (pick, x, y) => hover.set(pick ? { pick, x, y } : null),
        onClick: (pick) => {
          select.current(pick);
          publishMapPick(engineRef.current, pick);
        },
        onViewChange: (view) => saveView(seat.seatId, view),
        onChoropleth: setChoropleth,
        onDrawMode: setDrawMode,
        onTileFallback: () => setTileFallback(true),
        onNeedPlaces: () => needPlaces.current(),
        onDataChanged: () => setDataVersion((v) => v + 1),
        onDropCase: (caseIndex, officerIndex) => {
          const snap = engineRef.current?.currentSnapshot;
          if (!snap) return;
          const o = snap.officers;
          void dropCase.current(snap.cases.ids[caseIndex], {
            id: o.ids[officerIndex],
            name: o.names[officerIndex],
            number: o.numbers[officerIndex],
          });
        },
      },
    });
    performance.mark('map:engine');
    engineRef.current = eng;
    setEngine(eng);
    const uninstall = installMapDebug(eng, containerRef.current);
    return () => {
      uninstall();
      engineRef.current = null;
      setEngine(null);
      setSelection(null);
      setReplay(null);
      eng.destroy();
    };
  }, [areas, seat.seatId, hover]);
  useEffect(() => {
    if (engine && snapshot && engine.currentSnapshot !== snapshot) engine.setSnapshot(snapshot);
  }, [engine, snapshot]);

  // ---- alerts: the unacknowledged ones are drawn (ringed, pulsing); acknowledged ones leave ----
  const { feed } = useAlertFeed(true, true);
  const openAlerts = useMemo(() => feed?.alerts.filter((a) => a.ackAt === null) ?? [], [feed]);
  useEffect(() => {
    engine?.setAlerts(openAlerts);
  }, [engine, openAlerts, snapshot]);

  const applySelection = useCallback((s: MapSelection) => {
    setSelection(s);
    const eng = engineRef.current;
    if (!eng) return;
    eng.setSelection(s);
    if (s?.kind === 'officer') eng.watchOfficer(s.index);
    if (s?.kind === 'box') for (const p of s.picks) if (p.kind === 'officer') eng.watchOfficer(p.index);
  }, []);
  useEffect(() => {
    select.current = applySelection;
  }, [applySelection]);
  // ---- video wall and windows: fly to what another window selected ----
  useMapSelectionBus(engine, applySelection);

  const onMode = (m: ChoroplethMode): void => {
    setMode(m);
    saveMode(m);
    engine?.setMode(m);
  };
  const onToggles = (next: LayerToggles): void => {
    setToggles(next);
    saveToggles(next);
    engine?.setToggles(next);
  };
  const onTileUrl = (url: string | null): void => {
    setTileUrl(url);
    setTileFallback(false);
    saveTileUrl(url);
    engine?.setTileUrl(url);
  };

  const onSearch = (hit: SearchHit): void => {
    if (!engine) return;
    if (hit.kind === 'grid' || hit.kind === 'village' || hit.kind === 'town') {
      engine.fitArea(hit.kind, hit.index);
      applySelection({ kind: 'area', level: hit.kind, index: hit.index });
    } else {
      engine.flyTo(hit.lon, hit.lat, FLY_ZOOM[hit.kind]);
      applySelection({ kind: hit.kind, index: hit.index });
    }
  };

  /**
   * Tracks of the officers over the window from main (`map.tracks`); when main has none to
   * give, the fixes this map has recorded since the officer was selected.
   */
  const replayGen = useRef(0);
  const startReplay = async (officers: number[], windowMin = replay?.windowMin ?? 15): Promise<void> => {
    const eng = engineRef.current;
    if (!eng) return;
    const gen = ++replayGen.current;
    const to = Date.now();
    const from = to - windowMin * 60_000;
    const ids = officers.map((i) => eng.currentSnapshot.officers.ids[i]);
    const stored = await loadTracks(bridge(), ids, from, to).catch(() => [] as OfficerTrack[]);
    const byId = new Map(stored.map((tr) => [tr.officerId, tr]));
    // Main's history plus the fixes seen here since (main writes its history every few seconds).
    const local = stored.every((tr) => tr.at.length === 0);
    const tracks = officers.map((i, k) => {
      const seen = eng.recordedTrack(i, from, to);
      const kept = byId.get(ids[k]);
      return kept ? mergeTracks(kept, seen) : seen;
    });
    if (gen !== replayGen.current || engineRef.current !== eng) return;
    const r: ReplayState = { officers, windowMin, replay: tripsOf(tracks, from, to), local };
    setReplay(r);
    eng.setReplay(r.replay);
  };
  const endReplay = (): void => {
    replayGen.current++;
    setReplay(null);
    engine?.setReplay(null);
  };

  const snapshotNow = useCallback(() => engineRef.current?.currentSnapshot ?? null, []);

  const stageRef = useRef<HTMLDivElement | null>(null);
  const relative = (e: ReactPointerEvent): { x: number; y: number } => {
    const r = (containerRef.current ?? e.currentTarget).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  return (
    <section className="map-view" data-testid="view-map" data-map-state={data.state}>
      <div
        className="map-stage"
        ref={stageRef}
        onPointerDownCapture={(e) => {
          if (!e.shiftKey || !engine || e.button !== 0) return;
          const p = relative(e);
          engine.map.dragPan.disable();
          setBox({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
          e.currentTarget.setPointerCapture(e.pointerId);
          e.stopPropagation();
        }}
        onPointerMove={(e) => {
          if (!box) return;
          const p = relative(e);
          setBox({ ...box, x1: p.x, y1: p.y });
        }}
        onPointerUp={() => {
          if (!box || !engine) return;
          engine.map.dragPan.enable();
          const picks = engine.pickBox(box.x0, box.y0, box.x1, box.y1);
          setBox(null);
          applySelection(picks.length > 0 ? { kind: 'box', picks } : null);
        }}
      >
        <div
          className="map-canvas"
          ref={containerRef}
          data-testid="map-canvas"
          tabIndex={0}
          role="application"
          aria-label={t('map.canvas.label')}
          onKeyDown={(e) => {
            const m = cameraMoveForKey(e);
            if (!m || !engine) return;
            e.preventDefault();
            engine.move(m);
          }}
          onMouseLeave={() => hover.set(null)}
        />
        {data.state === 'loading' && <p className="map-message muted">{t('map.loading')}</p>}
        {data.state === 'error' && (
          <p className="map-message error" role="alert">
            {t('map.error', { message: data.message })}
          </p>
        )}
        {data.state === 'ready' && (
          <>
            <div className="map-top-left">
              <MapSearch
                areas={data.areas}
                snapshot={snapshotNow}
                dataVersion={dataVersion}
                onPick={onSearch}
              />
              {tileFallback && (
                <p className="warning small" role="status" data-testid="map-tile-fallback">
                  {t('map.tiles.fallback')}
                </p>
              )}
            </div>
            <LayerPanel
              toggles={toggles}
              mode={mode}
              tileUrl={tileUrl}
              usingTiles={tileUrl !== null && !tileFallback}
              onToggles={onToggles}
              onMode={onMode}
              onTileUrl={onTileUrl}
            />
            <MapLegend choropleth={choropleth} drawMode={drawMode} alerts={openAlerts.length} />
            <p className="map-hint muted small">
              {t('map.keys.hint')} · {t('map.box.hint')} · {t('map.drop.hint')}
            </p>
            {dropped.result && (
              <p
                className={`map-drop-result small ${dropped.result.bad ? 'error' : 'warning'}`}
                role="status"
                data-testid="map-drop-result"
                data-bad={dropped.result.bad ? '1' : '0'}
                onClick={dropped.clear}
              >
                {dropped.result.text}
              </p>
            )}
            {dropped.undoable && (
              <div className="map-undo">
                <UndoToast
                  undoable={dropped.undoable}
                  offline={offline}
                  onUndo={() => void dropped.undo()}
                  onGone={dropped.undoGone}
                />
              </div>
            )}
          </>
        )}
        {engine && data.state === 'ready' && (
          <MapTooltip hover={hover} engine={engine} choropleth={choropleth} reference={data.reference} />
        )}
        {box && (
          <div
            className="map-box"
            data-testid="map-box"
            style={{
              left: Math.min(box.x0, box.x1),
              top: Math.min(box.y0, box.y1),
              width: Math.abs(box.x1 - box.x0),
              height: Math.abs(box.y1 - box.y0),
            }}
          />
        )}
        {engine && replay && (
          <ReplayBar
            engine={engine}
            replay={replay.replay}
            names={replay.officers.map((i) => engine.currentSnapshot.officers.names[i])}
            windowMin={replay.windowMin}
            local={replay.local}
            onWindow={(m) => void startReplay(replay.officers, m)}
            onClose={endReplay}
          />
        )}
      </div>
      <aside className="map-side">
        {engine && selection && data.state === 'ready' && (
          <SelectionCard
            engine={engine}
            reference={data.reference}
            cameras={cameras}
            requestCameras={requestCameras}
            selection={selection}
            onSelect={(p) => {
              applySelection(p);
              const pos = engine.positionOf(p);
              if (pos && p.kind !== 'area') engine.flyTo(pos[0], pos[1], Math.max(engine.map.getZoom(), 15));
            }}
            onClose={() => applySelection(null)}
            onReplay={(officers) => void startReplay(officers)}
          />
        )}
        <Overview seat={seat} />
        {children}
        <span className="sr-only" data-testid="map-locale">
          {locale}
        </span>
      </aside>
    </section>
  );
}

function MapTooltip({
  hover,
  engine,
  choropleth,
  reference,
}: {
  hover: HoverStore;
  engine: MapEngine;
  choropleth: Choropleth | null;
  reference: Parameters<typeof pickSummary>[1]['reference'];
}) {
  const { t, locale } = useI18n();
  const h = useSyncExternalStore(hover.subscribe, hover.get);
  if (!h) return null;
  const text = pickSummary(
    h.pick,
    { snapshot: engine.currentSnapshot, areas: engine.areas, reference, choropleth },
    t,
    locale,
  );
  return (
    <div className="map-tooltip" data-testid="map-tooltip" style={{ left: h.x + 12, top: h.y + 12 }}>
      {text}
    </div>
  );
}
