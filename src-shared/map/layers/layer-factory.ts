// The map's layer builders are pure functions that describe deck.gl layers; they make them
// through this factory, which the renderer implements with the real deck.gl classes and tests
// implement by recording the props. So src-shared depends on deck.gl's types only (erased at
// build time), and a builder's output can be asserted under plain Node.
import type { TripsLayerProps } from '@deck.gl/geo-layers';
import type {
  IconLayerProps,
  PathLayerProps,
  ScatterplotLayerProps,
  SolidPolygonLayerProps,
  TextLayerProps,
} from '@deck.gl/layers';

export interface LayerFactory<L> {
  scatterplot<D>(props: ScatterplotLayerProps<D>): L;
  path<D>(props: PathLayerProps<D>): L;
  solidPolygon<D>(props: SolidPolygonLayerProps<D>): L;
  text<D>(props: TextLayerProps<D>): L;
  icon<D>(props: IconLayerProps<D>): L;
  trips<D>(props: TripsLayerProps<D>): L;
}

/** Icon textures are the renderer's (a canvas); builders only pass them through. */
export type IconAtlas = IconLayerProps['iconAtlas'];
