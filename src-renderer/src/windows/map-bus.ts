// The map wall's hook-in to the selection bus: a case/officer/camera/grid selected in another
// window is looked up in the map's snapshot, flown to and selected.
import { useEffect, useRef } from 'react';
import type { SelectionChange } from '../../../src-shared/ipc/contract';
import type { MapEngine } from '../map/map-engine';
import type { MapPick, MapSelection } from '../map/map-picks';
import { publishSelection, useSelectionBus } from './use-selection-bus';
import { currentWindowKind } from './window-open';

const ZOOM = 16;

/** Returns the map selection it applied, or null when the thing is not on this map. */
export function focusOnMap(
  engine: MapEngine,
  change: SelectionChange,
  apply: (s: MapSelection) => void,
): MapSelection {
  const snap = engine.currentSnapshot;
  const fly = (lon: number, lat: number): void => {
    if (Number.isFinite(lon) && Number.isFinite(lat))
      engine.flyTo(lon, lat, Math.max(engine.map.getZoom(), ZOOM));
  };
  let sel: MapSelection = null;
  if (change.kind === 'case') {
    const i = snap.cases.ids.indexOf(change.id);
    if (i >= 0) {
      fly(snap.cases.lon[i], snap.cases.lat[i]);
      sel = { kind: 'case', index: i };
    } else if (change.lon !== undefined && change.lat !== undefined) fly(change.lon, change.lat);
  } else if (change.kind === 'officer') {
    const i = snap.officers.ids.indexOf(change.id);
    if (i >= 0) {
      fly(snap.officers.lon[i], snap.officers.lat[i]);
      sel = { kind: 'officer', index: i };
    }
  } else if (change.kind === 'camera') {
    const i = snap.cameras.ids.indexOf(change.id);
    if (i >= 0) {
      fly(snap.cameras.lon[i], snap.cameras.lat[i]);
      sel = { kind: 'camera', index: i };
    }
  } else {
    const i = snap.gridCodes.indexOf(change.id);
    if (i >= 0) {
      engine.fitArea('grid', i);
      sel = { kind: 'area', level: 'grid', index: i };
    }
  }
  if (sel) apply(sel);
  return sel;
}

/**
 * Follows the bus on the map wall: flies to and selects what another window selected (also the
 * selection made before this window opened, once the map's engine is ready).
 */
export function useMapSelectionBus(engine: MapEngine | null, apply: (s: MapSelection) => void): void {
  const pending = useRef<SelectionChange | null>(null);
  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  }, [apply]);
  const engineRef = useRef(engine);
  useEffect(() => {
    engineRef.current = engine;
    if (engine && pending.current) {
      focusOnMap(engine, pending.current, (s) => applyRef.current(s));
      pending.current = null;
    }
  }, [engine]);
  // A map wall opened after the selection (`?window=map`) goes to it; the main window keeps the
  // view its seat left it in (restored by map-settings) until something new is selected.
  useSelectionBus((change) => {
    const eng = engineRef.current;
    if (eng) focusOnMap(eng, change, (s) => applyRef.current(s));
    else pending.current = change;
  }, currentWindowKind() !== null);
}

/** A click on the map wall tells the other windows (cases, officers, cameras, grids). */
export function publishMapPick(engine: MapEngine | null, pick: MapPick | null): void {
  if (!engine || !pick) return;
  const snap = engine.currentSnapshot;
  if (pick.kind === 'case')
    void publishSelection({
      kind: 'case',
      id: snap.cases.ids[pick.index],
      lon: snap.cases.lon[pick.index],
      lat: snap.cases.lat[pick.index],
    });
  else if (pick.kind === 'officer')
    void publishSelection({ kind: 'officer', id: snap.officers.ids[pick.index] });
  else if (pick.kind === 'camera')
    void publishSelection({ kind: 'camera', id: snap.cameras.ids[pick.index] });
  else if (pick.level === 'grid' && snap.gridCodes[pick.index])
    void publishSelection({ kind: 'grid', id: snap.gridCodes[pick.index] });
}
