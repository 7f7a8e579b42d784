// The read-only hook the map installs as `window.gridMapDebug` for end-to-end tests and the
// benchmark (src-renderer/src/map/map-debug.ts implements it): where an officer is in the columns
// and in the GPU position buffer, where a point lands on screen, and whether the map has settled.

export interface OfficerProbe {
  index: number;
  lon: number;
  lat: number;
  status: number;
  fixAt: number;
  /** What the officers layer's binary position attribute holds. */
  bufferLon: number;
  bufferLat: number;
  version: number;
  /** Screen position relative to the map canvas element. */
  x: number;
  y: number;
}

export interface GridMapDebug {
  officer(id: string): OfficerProbe | null;
  project(lon: number, lat: number): [number, number];
  zoom(): number;
  center(): [number, number];
  frames(): number;
  visibleLayers(): string[];
  /** What is drawn at this zoom: counts per town or village (the city view), or every point. */
  drawMode(): 'town' | 'village' | 'points';
  /** The city view's bubbles (empty at point zoom): area name, open and overdue cases, radius, colour. */
  aggregate(): {
    name: string;
    position: [number, number];
    cases: number;
    overdue: number;
    onDuty: number;
    radius: number;
    color: number[];
  }[];
  /** The town names the city view draws now, with their position and pixel offset (label placement). */
  townNames(): { name: string; position: [number, number]; offset: [number, number] }[];
  /** The unacknowledged alerts drawn now: id, what it names, screen position. */
  alerts(): { id: string; caseId: string | null; officerId: string | null; x: number; y: number }[];
  /** Resolves once the map has loaded, drawn, and has no camera move or tile load in flight. */
  idle(): Promise<void>;
}
