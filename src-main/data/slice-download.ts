// A gzipped binary slice that the server sends with an ETag (the seat's places, its briefing
// rollups), kept beside the cache as <name>.bin (the body exactly as it came) plus <name>.json,
// the freshness marker (ETag, the seat scope it was fetched for, when last confirmed, its size).
// The server is asked with If-None-Match, once at a time; when it cannot be asked, the stored
// copy is used, so the view works offline. File first, marker second: a marker never vouches
// for a half-written file.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ServerFetch } from './server-http';

/** The marker of a stored slice; `K` names the field that holds the seat scope it belongs to. */
export type SliceMarker<K extends string> = {
  etag: string;
  /** When the server last confirmed this copy (epoch ms). */
  checkedAt: number;
  bytes: number;
} & { [P in K]: string };

export interface HeldSlice<T, K extends string> {
  slice: T;
  marker: SliceMarker<K>;
  /** Confirmed (or sent) by the server during this session. */
  confirmed: boolean;
}

export type RefreshOutcome = 'updated' | 'unchanged' | 'failed';

export interface SliceDownloadOptions<T, K extends string> {
  /** In log lines: `places`, `briefing`. */
  label: string;
  /** The seat's directory (beside cache.sqlite) and the files' name there (name.bin, name.json). */
  dir: string;
  name: string;
  /** The full URL of the slice. */
  url: string;
  /** The console's one way to the server (trusts the settings' CA file). */
  fetch: ServerFetch;
  token: string;
  /** The marker's scope field and the seat scope: a copy of another scope is not used. */
  scopeField: K;
  scope: string;
  now: () => number;
  timeoutMs: number;
  log?: (line: string) => void;
  /** The slice from its gunzipped bytes; throws on a damaged one. */
  decode(bytes: Uint8Array): T;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class SliceDownload<T, K extends string> {
  private held: HeldSlice<T, K> | null = null;
  private refreshing: Promise<RefreshOutcome> | null = null;
  private confirmed = false;
  private closed = false;

  constructor(private readonly options: SliceDownloadOptions<T, K>) {}

  private get file(): string {
    return join(this.options.dir, `${this.options.name}.bin`);
  }

  private get markerFile(): string {
    return join(this.options.dir, `${this.options.name}.json`);
  }

  /** Whether the server confirmed (or sent) the slice during this session. */
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
    const { label, log } = this.options;
    const marker = this.readMarker();
    let res: Response;
    try {
      res = await this.options.fetch(this.options.url, {
        headers: {
          authorization: `Bearer ${this.options.token}`,
          // Without the file a 304 would confirm nothing: ask for the body.
          ...(marker && existsSync(this.file) ? { 'if-none-match': marker.etag } : {}),
        },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (e) {
      log?.(`${label}: server not reachable (${message(e)})`);
      return 'failed';
    }
    if (this.closed) return 'failed';
    const now = this.options.now();
    if (res.status === 304 && marker) {
      const next: SliceMarker<K> = { ...marker, checkedAt: now };
      this.writeMarker(next);
      this.confirmed = true;
      if (this.held) this.held = { ...this.held, marker: next, confirmed: true };
      return 'unchanged';
    }
    if (!res.ok) {
      log?.(`${label}: the server answered ${res.status}`);
      await res.body?.cancel();
      return 'failed';
    }
    const body = new Uint8Array(await res.arrayBuffer());
    let slice: T;
    try {
      slice = this.options.decode(new Uint8Array(gunzipSync(body)));
    } catch (e) {
      log?.(`${label}: the server sent an unreadable copy (${message(e)})`);
      return 'failed';
    }
    if (this.closed) return 'failed';
    const next = {
      etag: res.headers.get('etag') ?? '',
      [this.options.scopeField]: this.options.scope,
      checkedAt: now,
      bytes: body.length,
    } as SliceMarker<K>;
    writeFileSync(`${this.file}.tmp`, body);
    renameSync(`${this.file}.tmp`, this.file);
    this.writeMarker(next);
    this.held = { slice, marker: next, confirmed: true };
    this.confirmed = true;
    return 'updated';
  }

  /**
   * What is held: in memory, else the stored file (null when there is none or it is damaged).
   * The same object until a refresh changes it, so callers may key derived views on it.
   */
  stored(): HeldSlice<T, K> | null {
    if (this.held) return this.held;
    const marker = this.readMarker();
    if (!marker || !existsSync(this.file)) return null;
    try {
      if (statSync(this.file).size !== marker.bytes) return null;
      const slice = this.options.decode(new Uint8Array(gunzipSync(readFileSync(this.file))));
      this.held = { slice, marker, confirmed: this.confirmed };
      return this.held;
    } catch (e) {
      this.options.log?.(`${this.options.label}: stored copy unreadable (${message(e)})`);
      return null;
    }
  }

  private readMarker(): SliceMarker<K> | null {
    try {
      const m = JSON.parse(readFileSync(this.markerFile, 'utf8')) as Partial<Record<string, unknown>>;
      return typeof m.etag === 'string' &&
        m[this.options.scopeField] === this.options.scope &&
        typeof m.checkedAt === 'number' &&
        typeof m.bytes === 'number'
        ? (m as SliceMarker<K>)
        : null;
    } catch {
      return null;
    }
  }

  private writeMarker(m: SliceMarker<K>): void {
    writeFileSync(`${this.markerFile}.tmp`, JSON.stringify(m));
    renameSync(`${this.markerFile}.tmp`, this.markerFile);
  }
}
