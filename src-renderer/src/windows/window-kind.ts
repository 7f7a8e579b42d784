// Window kinds of the multi-monitor workstation: one renderer bundle, the kind chosen
// by `?window=<kind>` (Electron loads index.html?window=<kind> per BrowserWindow; in the web host
// each kind is a browser window/tab opened with window.open, sharing the host's session cookie).
export const WINDOW_KINDS = ['map', 'desk', 'video', 'briefing'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** The shell view each window kind shows. */
export const VIEW_OF_KIND: Record<WindowKind, 'map' | 'cases' | 'video' | 'briefing'> = {
  map: 'map',
  desk: 'cases',
  video: 'video',
  briefing: 'briefing',
};

export function windowKindOf(search: string): WindowKind | null {
  const k = new URLSearchParams(search).get('window');
  return (WINDOW_KINDS as readonly string[]).includes(k ?? '') ? (k as WindowKind) : null;
}
