// Session tokens at rest are sealed with AES-256-GCM under a per-installation key. Only the
// main process can produce the key: Electron wraps it with the OS keychain (safeStorage); the
// web host, which has no keychain, keeps it in a 0600 file. The worker receives the raw key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Seals the session token at rest: AES-256-GCM under a key only main can produce. */
export interface SecretBox {
  readonly kind: string;
  seal(plain: string): string;
  open(sealed: string): string;
}

export function aesSecretBox(key: Buffer, kind: string): SecretBox {
  if (key.length !== 32) throw new Error('session key must be 32 bytes');
  return {
    kind,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
    },
    open(sealed) {
      const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
      if (!iv || !tag || !body) throw new Error('sealed token is malformed');
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}

/** A key kept in a file readable only by this user (the web host's fallback). */
export function fileSessionKey(file: string): Buffer {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}
