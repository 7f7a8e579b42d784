// Officers: a dot in the status colour (faded when the fix is old) and a heading arrow. Both
// read the OfficerBuffers typed arrays as binary attributes; `version` is the update trigger,
// so a position batch re-uploads two or three buffers and touches no other layer.
import type { OfficerBuffers } from '../officer-buffers';
import type { IconAtlas, LayerFactory } from './layer-factory';

export const OFFICERS_ID = 'officers';
export const OFFICER_HEADINGS_ID = 'officer-headings';

export const ARROW_MAPPING = {
  arrow: { x: 0, y: 0, width: 32, height: 32, anchorX: 16, anchorY: 16, mask: true },
};

export interface OfficersOptions {
  visible?: boolean;
  /** Dot radius in pixels. */
  radius?: number;
}

export function officersLayer<L>(f: LayerFactory<L>, view: OfficerBuffers, opts: OfficersOptions = {}): L {
  return f.scatterplot({
    id: OFFICERS_ID,
    data: view.dots,
    radiusUnits: 'pixels',
    getRadius: opts.radius ?? 6,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    getLineColor: [8, 16, 26, 255],
    updateTriggers: { getPosition: view.version, getFillColor: view.version },
    pickable: true,
    visible: opts.visible ?? true,
  });
}

/** `atlas`: the arrow texture (the renderer draws it into a canvas, see arrow-atlas.ts). */
export function officerHeadingsLayer<L>(
  f: LayerFactory<L>,
  view: OfficerBuffers,
  atlas: IconAtlas,
  opts: OfficersOptions = {},
): L {
  return f.icon({
    id: OFFICER_HEADINGS_ID,
    data: view.headings,
    iconAtlas: atlas,
    iconMapping: ARROW_MAPPING,
    getIcon: () => 'arrow',
    sizeUnits: 'pixels',
    getSize: (opts.radius ?? 6) * 1.6,
    updateTriggers: { getPosition: view.version, getColor: view.version, getAngle: view.version },
    visible: opts.visible ?? true,
  });
}
