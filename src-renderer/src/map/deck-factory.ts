// The real deck.gl classes behind the map's pure layer builders (src-shared/map/layers).
import type { Layer } from '@deck.gl/core';
import { TripsLayer } from '@deck.gl/geo-layers';
import { IconLayer, PathLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import type { LayerFactory } from '../../../src-shared/map/layers/layer-factory';

export const deckFactory: LayerFactory<Layer> = {
  scatterplot: (props) => new ScatterplotLayer(props),
  path: (props) => new PathLayer(props),
  solidPolygon: (props) => new SolidPolygonLayer(props),
  text: (props) => new TextLayer(props),
  icon: (props) => new IconLayer(props),
  trips: (props) => new TripsLayer(props),
};
