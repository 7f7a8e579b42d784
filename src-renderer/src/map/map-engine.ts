// The imperative core of the map: a maplibre map with deck.gl interleaved in its WebGL
// context, the current layer inputs and UI state, and the hot path for officer positions.
// React sets state on it; position batches go straight to applyPositions (no React render).
import type { Layer } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type * as maplibregl from 'maplibre-gl';
import type { MapSnapshot, PositionBatch } from '../../../src-shared/ipc/map-data';
import type { AreaLevel, MapAreas } from '../../../src-shared/map/areas';
import { offlineStyle, styleTiles, TILE_SOURCE_ID } from '../../../src-shared/map/base-style';
import {
  buildLayers,
  LayerCache,
  type LayerInputs,
  type LayerUi,
} from '../../../src-shared/map/layers/build-layers';
import { deckFactory } from './deck-factory';
import {
  computeChoropleth,
  snapshotGridMap,
  type Choropleth,
  type ChoroplethMode,
} from '../../../src-shared/map/choropleth';
import type { CameraMove } from '../../../src-shared/map/keyboard';
import type { MapAlert } from '../../../src-shared/map/layers/alerts-layer';
import type { Replay } from '../../../src-shared/map/layers/tracks-layer';
import { DEFAULT_TOGGLES, type LayerToggles, type SavedView } from './map-settings';
import type { OfficerBuffers } from '../../../src-shared/map/officer-buffers';
import {
  caseBuffers,
  newCaseIndices,
  type PlaceColumns,
  placeBuffers,
} from '../../../src-shared/map/point-buffers';
import { TrackRecorder } from '../../../src-shared/map/track-recorder';
import { areaLevelForZoom, PLACE_ZOOM } from '../../../src-shared/map/zoom-rules';
import { countByArea, drawModeForZoom, type DrawMode } from '../../../src-shared/map/aggregate';
import { aggView, type AggView } from '../../../src-shared/map/layers/aggregate-layers';
import { placeAlerts, sameAlerts, type AlertInput } from './alert-placement';
import { CaseDrag } from './case-drag';
import { MapCamera } from './map-camera';
import { createBaseMap, initialInputs, initialUi, NEW_CASE_MS, snapshotInputs } from './map-setup';
import {
  BOX_LAYER_IDS,
  pickOf,
  positionOf,
  selectionHighlight,
  type MapPick,
  type MapSelection,
} from './map-picks';
import { ReplayPlayer } from './replay-player';

export interface MapEngineEvents {
  onHover(pick: MapPick | null, x: number, y: number): void;
  onClick(pick: MapPick | null): void;
  onViewChange(view: SavedView): void;
  onChoropleth(c: Choropleth): void;
  onTileFallback(): void;
  onOfficersChanged(version: number): void;
  /** The map zoomed in far enough to want the managed places (asked once until setPlaces). */
  onNeedPlaces(): void;
  /** Cases or the snapshot were replaced (search results and cards read them). */
  onDataChanged(): void;
  /** What the map draws at this zoom changed (counts per town, per village, or every point). */
  onDrawMode(mode: DrawMode): void;
  /** A case point was dragged onto an officer point (indexes into the current snapshot). */
  onDropCase(caseIndex: number, officerIndex: number): void;
}

export interface MapEngineOptions {
  container: HTMLElement;
  areas: MapAreas;
  snapshot: MapSnapshot;
  initialView: SavedView | null;
  tileUrl: string | null;
  mode: ChoroplethMode;
  toggles: LayerToggles;
  reducedMotion: boolean;
  now?: () => number;
  events: Partial<MapEngineEvents>;
}

const PULSE_MS = 250;
const AGG_RECOUNT_MS = 2_000;
const STALENESS_CHECK_MS = 10_000;

export class MapEngine {
  readonly map: maplibregl.Map;
  readonly overlay: MapboxOverlay;
  private inputs: LayerInputs;
  private ui: LayerUi;
  private snapshot: MapSnapshot;
  private gridMap: Int32Array;
  private mode: ChoroplethMode;
  private level: AreaLevel;
  private drawing: DrawMode;
  private choroplethStamp = 0;
  private readonly now: () => number;
  private readonly events: Partial<MapEngineEvents>;
  private readonly reducedMotion: boolean;
  private pulseTimer: ReturnType<typeof setInterval> | null = null;
  private aggTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly staleTimer: ReturnType<typeof setInterval>;
  private readonly replay: ReplayPlayer;
  private readonly camera: MapCamera;
  private readonly caseDrag: CaseDrag;
  private zoomKey = '';
  private placeCount = 0;
  private placesAsked = false;
  private tileUrl: string | null;
  private tileFailed = false;
  private destroyed = false;
  private recorder: TrackRecorder;
  private readonly officerListeners = new Set<() => void>();
  /** Counts frames drawn (for tests and the bench). */
  frames = 0;
  /** The layers last handed to deck.gl. */
  layers: Layer[] = [];
  private readonly layerCache = new LayerCache<Layer>();
  /** Ids of the layers shown at least once (see render). */
  private readonly shownLayers = new Set<string>();
  private extraLayers: readonly Layer[] = [];

  constructor(o: MapEngineOptions) {
    this.now = o.now ?? Date.now;
    this.events = o.events;
    this.reducedMotion = o.reducedMotion;
    this.snapshot = o.snapshot;
    this.mode = o.mode;
    this.tileUrl = o.tileUrl;
    this.map = createBaseMap(o);
    this.camera = new MapCamera(this.map, () => this.inputs.areas, o.reducedMotion);
    this.level = areaLevelForZoom(this.map.getZoom());
    this.drawing = drawModeForZoom(this.map.getZoom());
    this.recorder = new TrackRecorder(o.snapshot.officers.ids);
    this.gridMap = snapshotGridMap(o.snapshot, o.areas);
    const now = this.now();
    this.inputs = initialInputs({
      ...o,
      tiles: styleTiles(o.tileUrl) !== null,
      level: this.level,
      gridMap: this.gridMap,
      now,
    });
    this.inputs.agg = this.aggFor(this.drawing, now);
    this.ui = initialUi({
      zoom: this.map.getZoom(),
      toggles: o.toggles ?? DEFAULT_TOGGLES,
      caseColumns: o.snapshot.cases,
      reducedMotion: o.reducedMotion,
      now,
    });
    this.replay = new ReplayPlayer({
      time: () => this.ui.replayTime,
      duration: () => this.replayState.duration,
      seek: (t) => this.seekReplay(t),
      alive: () => !this.destroyed,
    });
    this.overlay = new MapboxOverlay({
      interleaved: true,
      layers: [],
      pickingRadius: 4,
      onHover: (info) => this.events.onHover?.(this.pick(info), info.x, info.y),
      onAfterRender: () => {
        if (this.frames++ === 0) performance.mark('map:deck-first-frame');
      },
    });
    this.map.addControl(this.overlay);
    this.map.once('load', () => performance.mark('map:load'));
    this.map.once('idle', () => performance.mark('map:first-idle'));
    this.map.on('zoom', () => this.onZoom());
    this.map.on('moveend', () => this.events.onViewChange?.(this.currentView()));
    // Clicks are picked here rather than through deck.gl's tap recogniser, which drops a click
    // whose mouse-up arrives late while a slow frame is being drawn.
    this.map.on('click', (e) => {
      const info = this.overlay.pickObject({ x: e.point.x, y: e.point.y, radius: 4 });
      this.events.onClick?.(info ? this.pick(info) : null);
    });
    this.caseDrag = new CaseDrag(this.map, this.overlay, (c, o) => this.events.onDropCase?.(c, o));
    this.map.on('error', (e: { sourceId?: string; error?: unknown }) => {
      if (e.sourceId === TILE_SOURCE_ID) this.dropTiles();
    });
    this.staleTimer = setInterval(() => this.tick(), STALENESS_CHECK_MS);
    this.render();
    this.events.onChoropleth?.(this.inputs.choropleth);
    this.events.onDrawMode?.(this.drawing);
    this.syncPulse();
  }

  // ---- data ----

  /**
   * The hot path: a batch of fixes into the officers' typed arrays, then one layer update.
   * Returns how many fixes were applied, or -1 when the batch indexes another officer order
   * (the caller takes a new snapshot).
   */
  applyPositions(batch: PositionBatch): number {
    if (batch.version !== this.snapshot.version) return -1;
    this.recorder.record(batch);
    const applied = this.inputs.officers.applyBatch(batch, this.now());
    if (applied > 0) {
      this.render();
      this.notifyOfficers();
      if (this.drawing !== 'points') this.scheduleAggRecount();
    }
    return applied;
  }

  /**
   * In the city view fixes change the officers-on-duty tags: count again at most every
   * AGG_RECOUNT_MS (a count is one pass over the columns, but batches come every second).
   */
  private scheduleAggRecount(): void {
    if (this.aggTimer) return;
    this.aggTimer = setTimeout(() => {
      this.aggTimer = null;
      if (this.destroyed || this.drawing === 'points') return;
      this.inputs = { ...this.inputs, agg: this.aggFor(this.drawing, this.now()) };
      this.render();
    }, AGG_RECOUNT_MS);
  }

  /** For views that show one officer live (useSyncExternalStore). */
  subscribeOfficers = (listener: () => void): (() => void) => {
    this.officerListeners.add(listener);
    return () => this.officerListeners.delete(listener);
  };

  officersVersion = (): number => this.inputs.officers.version;

  private notifyOfficers(): void {
    for (const l of this.officerListeners) l();
    this.events.onOfficersChanged?.(this.inputs.officers.version);
  }

  /** Start keeping this officer's fixes (for a replay when main has no track history). */
  watchOfficer(index: number): void {
    const o = this.snapshot.officers;
    this.recorder.watch(index, { lon: o.lon[index], lat: o.lat[index], at: o.fixAt[index] });
  }

  recordedTrack(index: number, from: number, to: number) {
    return this.recorder.track(index, from, to);
  }

  /** A new snapshot (officer order may have changed): everything point-like is rebuilt. */
  setSnapshot(snapshot: MapSnapshot): void {
    const now = this.now();
    const watched = this.snapshot.officers.ids.filter((_, i) => this.recorder.isWatched(i));
    this.snapshot = snapshot;
    this.recorder = new TrackRecorder(snapshot.officers.ids);
    const index = new Map(snapshot.officers.ids.map((id, i) => [id, i]));
    for (const id of watched) {
      const i = index.get(id);
      if (i !== undefined) this.watchOfficer(i);
    }
    this.gridMap = snapshotGridMap(snapshot, this.inputs.areas);
    this.inputs = {
      ...this.inputs,
      ...snapshotInputs(snapshot, now),
    };
    this.inputs.agg = this.aggFor(this.drawing, now);
    this.ui = { ...this.ui, newCases: newCaseIndices(snapshot.cases, now, NEW_CASE_MS) };
    this.recomputeChoropleth();
    this.render();
    this.syncPulse();
    this.notifyOfficers();
    this.events.onDataChanged?.();
  }

  /** Cases changed (the officers and cameras did not). */
  setCases(cases: MapSnapshot['cases']): void {
    const now = this.now();
    this.snapshot = { ...this.snapshot, cases };
    this.inputs = { ...this.inputs, cases: caseBuffers(cases), caseColumns: cases };
    this.inputs.agg = this.aggFor(this.drawing, now);
    this.ui = { ...this.ui, newCases: newCaseIndices(cases, now, NEW_CASE_MS) };
    this.recomputeChoropleth();
    this.render();
    this.syncPulse();
    this.events.onDataChanged?.();
  }

  /**
   * The unacknowledged alerts to draw (acknowledged ones are simply not handed in). An SOS is
   * drawn at its officer's latest fix when the map has one, else where it was raised.
   */
  setAlerts(alerts: readonly AlertInput[]): void {
    const drawn = placeAlerts(alerts, this.snapshot.officers);
    if (sameAlerts(drawn, this.ui.alerts)) return;
    this.ui = { ...this.ui, alerts: drawn };
    this.render();
    this.syncPulse();
  }

  /** The alerts drawn now (for the legend's count and the tests). */
  get alerts(): readonly MapAlert[] {
    return this.ui.alerts;
  }

  setPlaces(places: PlaceColumns | null): void {
    this.placeCount = places?.count ?? 0;
    this.inputs = { ...this.inputs, places: places ? placeBuffers(places) : null };
    this.render();
  }

  get placesCount(): number {
    return this.placeCount;
  }

  get currentSnapshot(): MapSnapshot {
    return this.snapshot;
  }

  /** Index of each snapshot grid in areas.grids. */
  get gridIndexMap(): Int32Array {
    return this.gridMap;
  }

  /** What the map draws at the current zoom. */
  get drawMode(): DrawMode {
    return this.drawing;
  }

  /** The city view's counts (null at point zoom). */
  get aggregate(): AggView | null {
    return this.inputs.agg;
  }

  get choropleth(): Choropleth {
    return this.inputs.choropleth;
  }

  get officers(): OfficerBuffers {
    return this.inputs.officers;
  }

  get areas(): MapAreas {
    return this.inputs.areas;
  }

  // ---- UI state ----

  setMode(mode: ChoroplethMode): void {
    this.mode = mode;
    this.recomputeChoropleth();
    this.render();
  }

  setToggles(toggles: LayerToggles): void {
    this.ui = { ...this.ui, toggles };
    this.render();
  }

  setSelection(sel: MapSelection): void {
    this.ui = { ...this.ui, ...selectionHighlight(sel, this.snapshot, this.inputs.areas) };
    this.render();
  }

  // ---- replay ----

  setReplay(replay: Replay | null): void {
    this.ui = { ...this.ui, replay, replayTime: 0 };
    if (!replay) this.pauseReplay();
    this.render();
  }

  get replayState(): { time: number; playing: boolean; speed: number; duration: number } {
    const r = this.ui.replay;
    return {
      time: this.ui.replayTime,
      playing: this.replay.playing,
      speed: this.replay.speed,
      duration: r ? (r.to - r.from) / 1000 : 0,
    };
  }

  playReplay(): void {
    if (this.ui.replay) this.replay.play();
  }

  pauseReplay(): void {
    this.replay.pause();
  }

  setReplaySpeed(speed: number): void {
    this.replay.speed = speed;
  }

  seekReplay(seconds: number): void {
    this.ui = { ...this.ui, replayTime: Math.max(0, seconds) };
    this.render();
  }

  // ---- camera ----

  flyTo(lon: number, lat: number, zoom: number): void {
    this.camera.flyTo(lon, lat, zoom);
  }

  fitArea(level: AreaLevel, index: number): void {
    this.camera.fitArea(level, index);
  }

  home(): void {
    this.camera.home();
  }

  move(m: CameraMove): void {
    this.camera.move(m);
  }

  currentView(): SavedView {
    return this.camera.view();
  }

  /** Everything pickable inside a screen rectangle (box select). */
  pickBox(x0: number, y0: number, x1: number, y1: number): MapPick[] {
    const x = Math.min(x0, x1);
    const y = Math.min(y0, y1);
    const infos = this.overlay.pickObjects({
      x,
      y,
      width: Math.max(1, Math.abs(x1 - x0)),
      height: Math.max(1, Math.abs(y1 - y0)),
      layerIds: BOX_LAYER_IDS,
      maxObjects: 2000,
    });
    const picks: MapPick[] = [];
    for (const info of infos) {
      const p = this.pick(info);
      if (p) picks.push(p);
    }
    return picks;
  }

  positionOf(p: MapPick): [number, number] | null {
    return positionOf(p, this.snapshot, this.inputs.areas);
  }

  setTileUrl(url: string | null): void {
    this.tileUrl = url;
    this.tileFailed = false;
    this.map.setStyle(offlineStyle(this.inputs.areas, { tileUrl: url }));
    this.setBaseTiles(styleTiles(url) !== null);
  }

  /** The land and the city's outline are the style's with tiles, else deck.gl's (base-style.ts). */
  private setBaseTiles(tiles: boolean): void {
    if (this.inputs.tiles === tiles) return;
    this.inputs = { ...this.inputs, tiles };
    this.render();
  }

  get usingTiles(): boolean {
    return this.tileUrl !== null && !this.tileFailed;
  }

  destroy(): void {
    this.destroyed = true;
    this.pauseReplay();
    if (this.pulseTimer) clearInterval(this.pulseTimer);
    if (this.aggTimer) clearTimeout(this.aggTimer);
    clearInterval(this.staleTimer);
    this.caseDrag.destroy();
    this.map.removeControl(this.overlay);
    this.overlay.finalize();
    this.map.remove();
  }

  // ---- internals ----

  render(): void {
    if (this.destroyed) return;
    this.layers = buildLayers(deckFactory, this.inputs, this.ui, this.layerCache);
    // deck.gl initialises a hidden layer like a shown one (attributes, shaders, a text layer's
    // glyph atlas): a layer that has never been shown is left out, so the first frame only
    // pays for what it draws (the city view hides ~10 layers). Once shown, a layer stays in
    // the list and hiding it again is just its `visible` prop.
    const drawn = this.layers.filter((l) => {
      if (l.props.visible) this.shownLayers.add(l.id);
      return this.shownLayers.has(l.id);
    });
    this.overlay.setProps({ layers: this.extraLayers.length > 0 ? [...drawn, ...this.extraLayers] : drawn });
  }

  /** Layers drawn above the map's own (tools; bench/map.ts puts its naive baseline here). */
  setExtraLayers(layers: readonly Layer[]): void {
    this.extraLayers = layers;
    this.render();
  }

  private pick(info: Parameters<typeof pickOf>[0]): MapPick | null {
    return pickOf(info, {
      snapshot: this.snapshot,
      agg: this.inputs.agg,
      shadingLevel: this.inputs.choropleth.level,
    });
  }

  private onZoom(): void {
    const zoom = this.map.getZoom();
    const level = areaLevelForZoom(zoom);
    // Layers only change at thresholds; quarter-zoom buckets cover every one of them.
    const key = `${level}:${Math.floor(zoom * 4)}`;
    if (key === this.zoomKey) return;
    this.zoomKey = key;
    this.ui = { ...this.ui, zoom };
    if (level !== this.level) {
      this.level = level;
      this.recomputeChoropleth();
    }
    const drawing = drawModeForZoom(zoom);
    if (drawing !== this.drawing) {
      this.drawing = drawing;
      this.inputs = { ...this.inputs, agg: this.aggFor(drawing, this.now()) };
      this.events.onDrawMode?.(drawing);
    }
    if (zoom >= PLACE_ZOOM - 1 && !this.placesAsked) {
      this.placesAsked = true;
      this.events.onNeedPlaces?.();
    }
    this.render();
  }

  /** Counts per town or village for the city view; null when every point is drawn. */
  private aggFor(drawing: DrawMode, now: number): AggView | null {
    if (drawing === 'points') return null;
    return aggView(
      this.inputs.areas,
      countByArea(drawing, this.inputs.areas, this.snapshot, this.gridMap, now),
    );
  }

  private recomputeChoropleth(): void {
    const c = computeChoropleth(
      this.mode,
      this.level,
      this.inputs.areas,
      this.snapshot,
      this.gridMap,
      this.now(),
    );
    this.choroplethStamp = this.now();
    this.inputs = { ...this.inputs, choropleth: c };
    this.events.onChoropleth?.(c);
  }

  private tick(): void {
    const now = this.now();
    const repainted = this.inputs.officers.refresh(now) > 0;
    if (repainted) this.notifyOfficers();
    let changed = repainted;
    const newCases = newCaseIndices(this.inputs.caseColumns, now, NEW_CASE_MS);
    if (newCases.length !== this.ui.newCases.length) {
      this.ui = { ...this.ui, newCases };
      changed = true;
      this.syncPulse();
    }
    // Overdue and on-duty figures move with the clock: refresh them every half minute.
    if ((this.mode === 'overdue' || this.mode === 'onDuty') && now - this.choroplethStamp > 30_000) {
      this.recomputeChoropleth();
      changed = true;
    }
    // Officers go on and off duty and cases overdue with the clock: the city view's counts too.
    if (this.drawing !== 'points') {
      this.inputs = { ...this.inputs, agg: this.aggFor(this.drawing, now) };
      changed = true;
    }
    if (changed) this.render();
  }

  private syncPulse(): void {
    const want = !this.reducedMotion && (this.ui.newCases.length > 0 || this.ui.alerts.length > 0);
    if (want && !this.pulseTimer) {
      this.pulseTimer = setInterval(() => {
        this.ui = { ...this.ui, pulsePhase: (this.ui.pulsePhase + 0.2) % 1 };
        this.render();
      }, PULSE_MS);
    } else if (!want && this.pulseTimer) {
      clearInterval(this.pulseTimer);
      this.pulseTimer = null;
    }
  }

  private dropTiles(): void {
    if (this.tileFailed || this.tileUrl === null) return;
    this.tileFailed = true;
    this.map.setStyle(offlineStyle(this.inputs.areas, { tileUrl: null }));
    this.setBaseTiles(false);
    this.events.onTileFallback?.();
  }
}
