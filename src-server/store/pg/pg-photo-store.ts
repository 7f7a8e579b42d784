// The PostgreSQL engine of the photo shelf (photos/photo-store.ts) for a cluster node: uploads go
// to the shared `photos` table (migration 4), so a photo uploaded through n1 is served by n2. The
// node's own files still answer for the photos every node renders itself at its start (the
// imported cases' after-photos: the same bytes, so the same hash, on every node).
import type { Pool } from 'pg';
import type { Result } from '../../../src-shared/util/result';
import { checkPhoto, type PhotoShelf, type PhotoStore, type StoredPhoto } from '../../photos/photo-store';
import { ok } from '../../../src-shared/util/result';

export class PgPhotoStore implements PhotoShelf {
  readonly maxBytes: number;

  constructor(
    private readonly pool: Pool,
    private readonly local: PhotoStore,
    private readonly now: () => number,
  ) {
    this.maxBytes = local.maxBytes;
  }

  async put(bytes: Buffer, declaredType: string, uploadedBy: string): Promise<Result<StoredPhoto>> {
    const checked = checkPhoto(bytes, declaredType, this.maxBytes);
    if (!checked.ok) return checked;
    const { hash, mime } = checked.data;
    // The first upload names the uploader (as the embedded store's INSERT OR IGNORE).
    await this.pool.query(
      `INSERT INTO photos (hash, mime, size, bytes, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (hash) DO NOTHING`,
      [hash, mime, bytes.length, bytes, uploadedBy, this.now()],
    );
    return ok({ hash, mime, bytes: bytes.length });
  }

  async get(hash: string): Promise<{ mime: string; bytes: Buffer } | null> {
    const r = await this.pool.query<{ mime: string; bytes: Buffer }>(
      'SELECT mime, bytes FROM photos WHERE hash = $1',
      [hash],
    );
    return r.rows[0] ?? this.local.get(hash);
  }

  async uploaderOf(hash: string): Promise<string | null> {
    const r = await this.pool.query<{ uploaded_by: string }>(
      'SELECT uploaded_by FROM photos WHERE hash = $1',
      [hash],
    );
    return r.rows[0]?.uploaded_by ?? this.local.uploaderOf(hash);
  }
}
