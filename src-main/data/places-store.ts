// The seat's managed places, downloaded from the server (GET /api/places) and kept beside the
// cache as places.bin (the gzipped place slice exactly as it came) plus places.json, the
// freshness marker (ETag, when last confirmed). The server is asked once per session with
// If-None-Match; when it cannot be asked, the stored copy is used, so the map works offline.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodePlaceSlice, type PlaceSlice } from '../../src-shared/protocol/place-slice';
import type { ServerFetch } from './server-http';

export interface PlacesMarker {
  etag: string;
  scopeCode: string;
  /** When the server last confirmed this copy (epoch ms). */
  checkedAt: number;
  bytes: number;
}

export interface StoredPlaces {
  slice: PlaceSlice;
  marker: PlacesMarker;
  /** Confirmed by the server during this session. */
  confirmed: boolean;
}

export type RefreshOutcome = 'updated' | 'unchanged' | 'failed';

export interface PlacesStoreOptions {
  /** The seat's directory (beside cache.sqlite). */
  dir: string;
  serverUrl: string;
  /** The console's one way to the server (trusts the settings' CA file). */
  fetch: ServerFetch;
  token: string;
  scopeCode: string;
  now: () => number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export class PlacesStore {
  private held: StoredPlaces | null = null;
  private refreshing: Promise<RefreshOutcome> | null = null;
  private confirmed = false;
  private closed = false;

  constructor(private readonly options: PlacesStoreOptions) {}

  private get file(): string {
    return join(this.options.dir, 'places.bin');
  }

  private get markerFile(): string {
    return join(this.options.dir, 'places.json');
  }

  /** Whether the server confirmed (or sent) the places during this session. */
  get checked(): boolean {
    return this.confirmed;
  }

  /** Stop writing files: the seat is closing (a download still in flight is dropped). */
  close(): void {
    this.closed = true;
  }

  /** Ask the server once at a time; concurrent callers share the answer. */
  refresh(): Promise<RefreshOutcome> {
    this.refreshing ??= this.download().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async download(): Promise<RefreshOutcome> {
    const marker = this.readMarker();
    let res: Response;
    try {
      res = await this.options.fetch(`${this.options.serverUrl}/api/places`, {
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(marker ? { 'if-none-match': marker.etag } : {}),
        },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      this.options.log?.(`places: server not reachable (${e instanceof Error ? e.message : String(e)})`);
      return 'failed';
    }
    if (this.closed) return 'failed';
    const now = this.options.now();
    if (res.status === 304 && marker) {
      this.writeMarker({ ...marker, checkedAt: now });
      this.confirmed = true;
      if (this.held) this.held = { ...this.held, marker: { ...marker, checkedAt: now }, confirmed: true };
      return 'unchanged';
    }
    if (!res.ok) {
      this.options.log?.(`places: the server answered ${res.status}`);
      await res.body?.cancel();
      return 'failed';
    }
    const body = new Uint8Array(await res.arrayBuffer());
    let slice: PlaceSlice;
    try {
      slice = decodePlaceSlice(new Uint8Array(gunzipSync(body)));
    } catch (e) {
      this.options.log?.(
        `places: the server sent an unreadable slice (${e instanceof Error ? e.message : String(e)})`,
      );
      return 'failed';
    }
    if (this.closed) return 'failed';
    const next: PlacesMarker = {
      etag: res.headers.get('etag') ?? '',
      scopeCode: this.options.scopeCode,
      checkedAt: now,
      bytes: body.length,
    };
    // File first, marker second: a marker never vouches for a half-written file.
    writeFileSync(`${this.file}.tmp`, body);
    renameSync(`${this.file}.tmp`, this.file);
    this.writeMarker(next);
    this.held = { slice, marker: next, confirmed: true };
    this.confirmed = true;
    return 'updated';
  }

  /** What is held: in memory, else the stored file (null when there is none or it is damaged). */
  stored(): StoredPlaces | null {
    if (this.held) return this.held;
    const marker = this.readMarker();
    if (!marker || !existsSync(this.file)) return null;
    try {
      if (statSync(this.file).size !== marker.bytes) return null;
      const slice = decodePlaceSlice(new Uint8Array(gunzipSync(readFileSync(this.file))));
      this.held = { slice, marker, confirmed: this.confirmed };
      return this.held;
    } catch (e) {
      this.options.log?.(`places: stored copy unreadable (${e instanceof Error ? e.message : String(e)})`);
      return null;
    }
  }

  private readMarker(): PlacesMarker | null {
    try {
      const m = JSON.parse(readFileSync(this.markerFile, 'utf8')) as Partial<PlacesMarker>;
      return typeof m.etag === 'string' &&
        m.scopeCode === this.options.scopeCode &&
        typeof m.checkedAt === 'number' &&
        typeof m.bytes === 'number'
        ? (m as PlacesMarker)
        : null;
    } catch {
      return null;
    }
  }

  private writeMarker(m: PlacesMarker): void {
    writeFileSync(`${this.markerFile}.tmp`, JSON.stringify(m));
    renameSync(`${this.markerFile}.tmp`, this.markerFile);
  }
}
