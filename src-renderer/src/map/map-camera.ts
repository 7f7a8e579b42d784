// Moving the map's camera: fly to a point, fit an area or the whole jurisdiction, the keyboard's
// pan and zoom steps, and the view as saved. With reduced motion every move is instant.
import type * as maplibregl from 'maplibre-gl';
import { areaSet, type AreaLevel, type MapAreas } from '../../../src-shared/map/areas';
import type { CameraMove } from '../../../src-shared/map/keyboard';
import { homePadding } from './map-setup';
import type { SavedView } from './map-settings';

export class MapCamera {
  constructor(
    private readonly map: maplibregl.Map,
    private readonly areas: () => MapAreas,
    private readonly reducedMotion: boolean,
  ) {}

  private ms(duration: number): number {
    return this.reducedMotion ? 0 : duration;
  }

  flyTo(lon: number, lat: number, zoom: number): void {
    this.map.flyTo({ center: [lon, lat], zoom, duration: this.ms(800), essential: true });
  }

  fitArea(level: AreaLevel, index: number): void {
    const bb = areaSet(this.areas(), level).bboxes.subarray(index * 4, index * 4 + 4);
    if (Number.isNaN(bb[0])) return;
    this.map.fitBounds([bb[0], bb[1], bb[2], bb[3]], { padding: 40, duration: this.ms(800), maxZoom: 16 });
  }

  home(): void {
    const [w, s, e, n] = this.areas().scopeBBox;
    this.map.fitBounds([w, s, e, n], {
      padding: homePadding(this.map.getContainer()),
      duration: this.ms(500),
    });
  }

  move(m: CameraMove): void {
    const duration = this.ms(200);
    if (m.kind === 'pan') this.map.panBy([m.dx, m.dy], { duration });
    else if (m.kind === 'zoom') this.map.zoomTo(this.map.getZoom() + m.delta, { duration });
    else this.home();
  }

  view(): SavedView {
    const c = this.map.getCenter();
    return {
      center: [c.lng, c.lat],
      zoom: this.map.getZoom(),
      bearing: this.map.getBearing(),
      pitch: this.map.getPitch(),
    };
  }
}
