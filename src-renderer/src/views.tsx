// The views, each its own chunk loaded on demand (code splitting): the page's entry holds the
// shell, the session and the i18n tables only. The map is the view most windows open on, so its
// chunk (maplibre, deck.gl) is asked for as soon as this module runs, and the map's data as soon
// as a seat is in (map/prefetch.ts) — both while the session is still being resumed. The desk,
// the briefing (recharts), the inspections and the video wall (hls.js, itself on demand) load
// when first opened.
import { lazy, Suspense, useState, type ComponentProps, type ReactNode } from 'react';
import type { BriefingView as BriefingViewT } from './briefing/BriefingView';
import type { CaseDesk as CaseDeskT } from './desk/CaseDesk';
import { useI18n } from './i18n';
import type { InspectionsView as InspectionsViewT } from './inspections/InspectionsView';
import type { MapView as MapViewT } from './map/MapView';
import { prefetchMapData } from './map/prefetch';
import type { VideoWall as VideoWallT } from './video/VideoWall';
import { currentWindowKind } from './windows/window-open';

let mapChunk: Promise<{ MapView: typeof MapViewT }> | null = null;
const loadMapChunk = (): Promise<{ MapView: typeof MapViewT }> => (mapChunk ??= import('./map/MapView'));
const kind = currentWindowKind();
if (kind === null || kind === 'map') void loadMapChunk();

const LazyMap = lazy(() => loadMapChunk().then((m) => ({ default: m.MapView })));
const LazyDesk = lazy(() => import('./desk/CaseDesk').then((m) => ({ default: m.CaseDesk })));
const LazyBriefing = lazy(() => import('./briefing/BriefingView').then((m) => ({ default: m.BriefingView })));
const LazyInspections = lazy(() =>
  import('./inspections/InspectionsView').then((m) => ({ default: m.InspectionsView })),
);
const LazyVideo = lazy(() => import('./video/VideoWall').then((m) => ({ default: m.VideoWall })));

function Loading({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return children ?? <p className="muted">{t('shell.loading')}</p>;
}

export function MapView(props: ComponentProps<typeof MapViewT>) {
  // Once per mount (and per seat: a new seat remounts the map's data anyway).
  useState(() => prefetchMapData(props.seat));
  return (
    <Suspense
      fallback={
        <Loading>
          <section className="map-view" data-testid="view-map" data-map-state="loading" />
        </Loading>
      }
    >
      <LazyMap {...props} />
    </Suspense>
  );
}

export function CaseDesk(props: ComponentProps<typeof CaseDeskT>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazyDesk {...props} />
    </Suspense>
  );
}

export function BriefingView(props: ComponentProps<typeof BriefingViewT>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazyBriefing {...props} />
    </Suspense>
  );
}

export function InspectionsView(props: ComponentProps<typeof InspectionsViewT>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazyInspections {...props} />
    </Suspense>
  );
}

export function VideoWall(props: ComponentProps<typeof VideoWallT>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazyVideo {...props} />
    </Suspense>
  );
}
