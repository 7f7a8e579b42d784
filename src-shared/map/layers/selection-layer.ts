// Rings around what is selected (one object, or everything a box caught).
import { SELECTION } from '../palette';
import type { LayerFactory } from './layer-factory';

export const SELECTION_ID = 'selection';

export interface SelectedPoint {
  position: [number, number];
  /** Ring radius in pixels (a little larger than the dot it surrounds). */
  radius: number;
}

const NONE: SelectedPoint[] = [];

export function selectionLayer<L>(f: LayerFactory<L>, points: readonly SelectedPoint[] | null): L {
  return f.scatterplot<SelectedPoint>({
    id: SELECTION_ID,
    data: points ?? NONE,
    getPosition: (d) => d.position,
    getRadius: (d) => d.radius,
    radiusUnits: 'pixels',
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2.5,
    getLineColor: [...SELECTION, 255],
    visible: (points?.length ?? 0) > 0,
  });
}
