// State a feature keeps for the open seat (a view over its cache, a client of the server with its
// token): made on first use after the seat's cache is opened, made again for the next cache
// (another seat, or a damaged cache rebuilt), the old one handed to `dispose` first.
import type { CacheStore } from './cache-store';
import type { ServerFetch } from './server-http';

export class SeatSlot<T> {
  private held: { cache: CacheStore; value: T } | null = null;

  constructor(
    private readonly make: (cache: CacheStore) => T,
    private readonly dispose?: (value: T) => void,
  ) {}

  /** The value for this cache (the open seat's). */
  of(cache: CacheStore): T {
    if (this.held?.cache !== cache) {
      if (this.held) this.dispose?.(this.held.value);
      this.held = { cache, value: this.make(cache) };
    }
    return this.held.value;
  }
}

/** What a per-seat client of the server is built with (briefing, inspections, figures, places). */
export interface SeatClientOptions {
  /** The seat's folder (beside cache.sqlite). */
  dir: string;
  serverUrl: string;
  fetch: ServerFetch;
  /** The seat's bearer token. */
  token: string;
  now: () => number;
  timeoutMs: number;
  log?: (line: string) => void;
}
