// The map's start data asked for as soon as the seat is known, while the map's own code (maplibre
// and deck.gl, the biggest chunk) is still loading: the data worker builds the snapshot in the
// meantime. Events that arrive before the map subscribes are kept and handed over with it, so
// nothing said between the ask and the map's mount is lost.
import type { CallAnswer, MapBaseView, SeatView } from '../../../src-shared/ipc/contract';
import type { MapSnapshot } from '../../../src-shared/ipc/map-data';
import { bridge } from '../platform/bridge';
import { loadBase } from './map-source';

export interface MapPrefetch {
  seatId: string;
  /** `map.base`: the reference lists the first frame needs (not the officers' and cameras' objects). */
  reference: Promise<MapBaseView>;
  snapshot: Promise<CallAnswer<MapSnapshot>>;
  /** Cases named by `cases.changed` since the ask. */
  changedCaseIds: Set<string>;
  /** `reference.changed` came since the ask (the reference above may be old). */
  referenceChanged: boolean;
}

/** An ask older than this is not used (the map was not opened soon after). */
const MAX_AGE_MS = 30_000;

let pending: (MapPrefetch & { at: number; off: () => void }) | null = null;

function drop(): void {
  pending?.off();
  pending = null;
}

/** Ask for the seat's map data now (once per seat until taken). */
export function prefetchMapData(seat: Pick<SeatView, 'seatId'>): void {
  if (pending?.seatId === seat.seatId && performance.now() - pending.at < MAX_AGE_MS) return;
  drop();
  const api = bridge();
  performance.mark('map:prefetch');
  const reference = loadBase(api);
  // Failures are the map's to show when it takes the answer; not unhandled here.
  reference.catch(() => undefined);
  const p: MapPrefetch & { at: number; off: () => void } = {
    seatId: seat.seatId,
    at: performance.now(),
    reference,
    snapshot: api.call('map.snapshot'),
    changedCaseIds: new Set(),
    referenceChanged: false,
    off: () => undefined,
  };
  const offs = [
    api.on('cases.changed', ({ ids }) => {
      for (const id of ids) p.changedCaseIds.add(id);
    }),
    api.on('reference.changed', () => {
      p.referenceChanged = true;
    }),
  ];
  p.off = () => offs.forEach((off) => off());
  pending = p;
}

/** The ask for this seat, if one is pending and fresh; it is the caller's from now on. */
export function takeMapPrefetch(seatId: string): MapPrefetch | null {
  const p = pending;
  if (!p) return null;
  drop();
  return p.seatId === seatId && performance.now() - p.at < MAX_AGE_MS ? p : null;
}
