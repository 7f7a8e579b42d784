// The seat's managed places, downloaded from the server (GET /api/places) and kept beside the
// cache as places.bin (the gzipped place slice exactly as it came) plus places.json, the
// freshness marker (slice-download.ts). The server is asked once per session with
// If-None-Match; when it cannot be asked, the stored copy is used, so the map works offline.
import { decodePlaceSlice, type PlaceSlice } from '../../src-shared/protocol/place-slice';
import type { SeatHttpOptions } from './server-http';
import { SliceDownload, type HeldSlice } from './slice-download';

export type StoredPlaces = HeldSlice<PlaceSlice, 'scopeCode'>;

export interface PlacesStoreOptions extends SeatHttpOptions {
  scopeCode: string;
}

export class PlacesStore extends SliceDownload<PlaceSlice, 'scopeCode'> {
  constructor(options: PlacesStoreOptions) {
    super({
      label: 'places',
      dir: options.dir,
      name: 'places',
      url: `${options.serverUrl}/api/places`,
      fetch: options.fetch,
      token: options.token,
      scopeField: 'scopeCode',
      scope: options.scopeCode,
      now: options.now,
      timeoutMs: options.timeoutMs ?? 30_000,
      log: options.log,
      decode: decodePlaceSlice,
    });
  }
}
