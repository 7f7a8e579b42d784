// Installs the map's read-only debug hook (src-shared/map/debug-hook.ts) as window.gridMapDebug
// for end-to-end tests. The map canvas element (data-testid="map-canvas") carries the officers'
// version, the zoom and whether the map has loaded as data attributes.
import type { GridMapDebug } from '../../../src-shared/map/debug-hook';
import { AGG_NAMES_ID } from '../../../src-shared/map/layers/aggregate-layers';
import type { MapEngine } from './map-engine';

declare global {
  interface Window {
    gridMapDebug?: GridMapDebug;
  }
}

export function installMapDebug(engine: MapEngine, canvas: HTMLElement): () => void {
  const map = engine.map;
  const mark = (): void => {
    canvas.dataset.officersVersion = String(engine.officers.version);
    canvas.dataset.zoom = map.getZoom().toFixed(2);
    canvas.dataset.drawMode = engine.drawMode;
  };
  const debug: GridMapDebug = {
    officer(id) {
      const s = engine.currentSnapshot;
      const i = s.officers.ids.indexOf(id);
      if (i < 0) return null;
      const o = s.officers;
      const b = engine.officers;
      const p = map.project([b.position[i * 2], b.position[i * 2 + 1]]);
      return {
        index: i,
        lon: o.lon[i],
        lat: o.lat[i],
        status: o.status[i],
        fixAt: o.fixAt[i],
        bufferLon: b.position[i * 2],
        bufferLat: b.position[i * 2 + 1],
        version: b.version,
        x: p.x,
        y: p.y,
      };
    },
    project(lon, lat) {
      const p = map.project([lon, lat]);
      return [p.x, p.y];
    },
    zoom: () => map.getZoom(),
    center() {
      const c = map.getCenter();
      return [c.lng, c.lat];
    },
    frames: () => engine.frames,
    visibleLayers: () => engine.layers.filter((l) => l.props.visible).map((l) => l.id),
    drawMode: () => engine.drawMode,
    alerts: () =>
      engine.alerts.map((a) => {
        const p = map.project(a.position);
        return { id: a.id, caseId: a.caseId, officerId: a.officerId, x: p.x, y: p.y };
      }),
    aggregate: () =>
      (engine.aggregate?.items ?? []).map((i) => ({
        name: i.name,
        position: [...i.position] as [number, number],
        cases: i.cases,
        overdue: i.overdue,
        onDuty: i.onDuty,
        radius: i.radius,
        color: [...i.color],
      })),
    townNames: () => {
      const layer = engine.layers.find((l) => l.id === AGG_NAMES_ID && l.props.visible);
      const data = (layer?.props.data ?? []) as {
        item: { name: string; position: [number, number] };
        offset: readonly [number, number];
      }[];
      return data.map((d) => ({
        name: d.item.name,
        position: [...d.item.position] as [number, number],
        offset: [d.offset[0], d.offset[1]] as [number, number],
      }));
    },
    idle: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          mark();
          resolve();
        };
        if (map.loaded() && !map.isMoving()) {
          // One more frame so deck.gl has drawn the latest props.
          map.once('idle', done);
          map.triggerRepaint();
        } else map.once('idle', done);
      }),
  };
  window.gridMapDebug = debug;
  map.on('moveend', mark);
  map.on('load', () => {
    canvas.dataset.mapLoaded = 'true';
    mark();
  });
  const off = engine.subscribeOfficers(mark);
  mark();
  return () => {
    off();
    if (window.gridMapDebug === debug) delete window.gridMapDebug;
  };
}
