// Drag a case onto an officer (a dispatcher's quickest dispatch on the map): a press on a case
// point holds the map still (maplibre's drag-pan is paused), the cursor says "dragging", and a
// release over an officer point hands both indexes on; anywhere else it is dropped silently.
// Shift-drag stays the box selection; at city and town-count zoom there are no case points, so
// a press pans the map as usual.
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type * as maplibregl from 'maplibre-gl';
import { OFFICERS_ID } from '../../../src-shared/map/layers/officers-layer';
import { CASES_ID } from '../../../src-shared/map/layers/point-layers';

/** Pixels the pointer must move before a press on a case is a drag (else it is a click). */
const DRAG_START_PX = 5;

export class CaseDrag {
  private held: { caseIndex: number; x: number; y: number; moved: boolean } | null = null;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly overlay: MapboxOverlay,
    private readonly onDrop: (caseIndex: number, officerIndex: number) => void,
  ) {
    map.on('mousedown', this.down);
    map.on('mousemove', this.move);
    map.on('mouseup', this.up);
  }

  private readonly down = (e: maplibregl.MapMouseEvent): void => {
    if (e.originalEvent.button !== 0 || e.originalEvent.shiftKey) return;
    const hit = this.overlay.pickObject({ x: e.point.x, y: e.point.y, radius: 4, layerIds: [CASES_ID] });
    if (!hit || hit.index < 0) return;
    this.held = { caseIndex: hit.index, x: e.point.x, y: e.point.y, moved: false };
    this.map.dragPan.disable();
  };

  private readonly move = (e: maplibregl.MapMouseEvent): void => {
    const h = this.held;
    if (!h) return;
    if (!h.moved && Math.hypot(e.point.x - h.x, e.point.y - h.y) >= DRAG_START_PX) h.moved = true;
    if (!h.moved) return;
    const over = this.officerAt(e.point.x, e.point.y);
    this.map.getCanvas().style.cursor = over === null ? 'grabbing' : 'copy';
  };

  private readonly up = (e: maplibregl.MapMouseEvent): void => {
    const h = this.held;
    if (!h) return;
    this.held = null;
    this.map.dragPan.enable();
    this.map.getCanvas().style.cursor = '';
    if (!h.moved) return; // a click: the map's click handler selects the case
    const officer = this.officerAt(e.point.x, e.point.y);
    if (officer !== null) this.onDrop(h.caseIndex, officer);
  };

  private officerAt(x: number, y: number): number | null {
    const hit = this.overlay.pickObject({ x, y, radius: 6, layerIds: [OFFICERS_ID] });
    return hit && hit.index >= 0 ? hit.index : null;
  }

  /** True while a case is held (the box selection and hover stay out of its way). */
  get dragging(): boolean {
    return this.held?.moved === true;
  }

  destroy(): void {
    this.map.off('mousedown', this.down);
    this.map.off('mousemove', this.move);
    this.map.off('mouseup', this.up);
    if (this.held) this.map.dragPan.enable();
    this.held = null;
  }
}
