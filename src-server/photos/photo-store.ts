// Content-addressed photo storage: the sha256 of the bytes is the name, so uploading the same
// photo twice stores it once and a case can reference a photo before or after upload. Only real
// JPEG/PNG/WebP images (checked by their magic bytes, not the client's word) within the size limit.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../src-shared/util/result';
import type { Db } from '../store/database';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

function sniff(bytes: Buffer): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

/** An upload checked: not empty, within the limit, a real image of the declared type; its name. */
export function checkPhoto(
  bytes: Buffer,
  declaredType: string,
  maxBytes: number,
): Result<{ hash: string; mime: PhotoType }> {
  if (bytes.length === 0) return err('BAD_REQUEST', 'empty photo');
  if (bytes.length > maxBytes)
    return err('PAYLOAD_TOO_LARGE', `photo of ${bytes.length} bytes exceeds ${maxBytes}`);
  const mime = sniff(bytes);
  if (!mime) return err('UNSUPPORTED_TYPE', 'not a JPEG, PNG or WebP image');
  if (declaredType && declaredType !== mime) {
    return err('UNSUPPORTED_TYPE', `declared ${declaredType} but the bytes are ${mime}`);
  }
  return ok({ hash: createHash('sha256').update(bytes).digest('hex'), mime });
}

export type StoredPhoto = { hash: string; mime: PhotoType; bytes: number };

/**
 * Photos as the HTTP API serves them, one interface with two engines: this node's files
 * (`PhotoStore`, the embedded server) or PostgreSQL on a cluster node (store/pg/pg-photo-store.ts),
 * so a photo uploaded through one node is served by every node.
 */
export interface PhotoShelf {
  readonly maxBytes: number;
  put(bytes: Buffer, declaredType: string, uploadedBy: string): Promise<Result<StoredPhoto>>;
  get(hash: string): Promise<{ mime: string; bytes: Buffer } | null>;
  /** Who uploaded a photo first (null when unknown). */
  uploaderOf(hash: string): Promise<string | null>;
}

/** The embedded engine: the node's photo files, answered as promises. */
export function localShelf(store: PhotoStore): PhotoShelf {
  return {
    maxBytes: store.maxBytes,
    put: (bytes, declaredType, uploadedBy) => Promise.resolve(store.put(bytes, declaredType, uploadedBy)),
    get: (hash) => Promise.resolve(store.get(hash)),
    uploaderOf: (hash) => Promise.resolve(store.uploaderOf(hash)),
  };
}

export class PhotoStore {
  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly now: () => number,
    readonly maxBytes = 5 * 1024 * 1024,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  put(bytes: Buffer, declaredType: string, uploadedBy: string): Result<StoredPhoto> {
    const checked = checkPhoto(bytes, declaredType, this.maxBytes);
    if (!checked.ok) return checked;
    const { hash, mime } = checked.data;
    const file = this.path(hash);
    if (!existsSync(file)) {
      mkdirSync(join(this.dir, hash.slice(0, 2)), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, file); // atomic: a reader never sees half a photo
    }
    this.db
      .prepare(
        'INSERT OR IGNORE INTO photos (hash, mime, bytes, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hash, mime, bytes.length, uploadedBy, this.now());
    return ok({ hash, mime, bytes: bytes.length });
  }

  get(hash: string): { mime: string; bytes: Buffer } | null {
    const row = this.db.prepare('SELECT mime FROM photos WHERE hash = ?').get(hash) as
      { mime: string } | undefined;
    if (!row || !existsSync(this.path(hash))) return null;
    return { mime: row.mime, bytes: readFileSync(this.path(hash)) };
  }

  /** Who uploaded a photo first (null when unknown). */
  uploaderOf(hash: string): string | null {
    const row = this.db.prepare('SELECT uploaded_by FROM photos WHERE hash = ?').get(hash) as
      { uploaded_by: string } | undefined;
    return row?.uploaded_by ?? null;
  }

  has(hash: string): boolean {
    return this.db.prepare('SELECT 1 FROM photos WHERE hash = ?').get(hash) !== undefined;
  }

  private path(hash: string): string {
    return join(this.dir, hash.slice(0, 2), hash);
  }
}
