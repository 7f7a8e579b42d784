// Case photos for the desk, fetched by the worker with the seat's bearer token (GET
// /api/photos/<sha256>) so the renderer never holds the token and its CSP can stay at
// `img-src 'self' data: blob:` — the renderer turns the bytes into a blob: URL. Photos are
// content-addressed and immutable, so a small in-memory LRU is always right.
import { err, ok, type Result } from '../../src-shared/util/result';
import type { ServerFetch } from './server-http';

export interface CasePhoto {
  hash: string;
  mime: string;
  bytes: Uint8Array;
}

const MAX_ENTRIES = 48;

export class PhotoFetcher {
  private readonly cache = new Map<string, CasePhoto>();

  constructor(
    private readonly serverUrl: string,
    private readonly token: () => string | null,
    private readonly fetch: ServerFetch,
    private readonly timeoutMs = 10_000,
  ) {}

  async get(hash: string): Promise<Result<CasePhoto>> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return err('BAD_REQUEST', 'a photo reference is a sha256 hex digest');
    const held = this.cache.get(hash);
    if (held) {
      this.cache.delete(hash);
      this.cache.set(hash, held);
      return ok(held);
    }
    const token = this.token();
    if (!token) return err('NO_SESSION', 'no seat is logged in');
    let res: Response;
    try {
      res = await this.fetch(`${this.serverUrl}/api/photos/${hash}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      return err(
        'SERVER_UNREACHABLE',
        `the photo cannot be fetched now (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    if (!res.ok)
      return err(res.status === 404 ? 'NOT_FOUND' : 'PHOTO_UNAVAILABLE', `photo ${hash}: HTTP ${res.status}`);
    const mime = res.headers.get('content-type') ?? 'application/octet-stream';
    if (!/^image\/(png|jpeg|webp)$/.test(mime)) return err('PHOTO_UNAVAILABLE', `photo ${hash} is ${mime}`);
    const photo: CasePhoto = { hash, mime, bytes: new Uint8Array(await res.arrayBuffer()) };
    this.cache.set(hash, photo);
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return ok(photo);
  }
}
