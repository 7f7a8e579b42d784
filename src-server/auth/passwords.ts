// Password hashing with scrypt (memory-hard, in Node's crypto). Stored as
// `scrypt$N$r$p$<salt b64>$<hash b64>`: the parameters travel with each hash, so they can be
// raised (as now, issue 14 §5: N=2^17, r=8, p=1 — OWASP's current minimum) without breaking old
// hashes, and a login that verifies against older parameters re-hashes (Seats.login).
// Verification is constant-time and runs on libuv's pool, never on the event loop.
import {
  createHmac,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
/** Largest N accepted from a stored hash (2^20 · r=8 ≈ 1 GiB). */
const MAX_N = 1 << 20;

/** scrypt needs 128·N·r bytes; Node refuses above 32 MiB unless told (2^17 needs 128 MiB). */
export const maxmemOf = (params: ScryptParams): number => 128 * params.N * params.r + 16 * 1024 * 1024;

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (e, key) => (e ? reject(e) : resolve(key))),
  );

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  if (password.length < 8) throw new Error('a password needs at least 8 characters');
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: maxmemOf(params) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** The parameters a stored hash was made with (null when it is not one of ours). */
export function paramsOf(stored: string): ScryptParams | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  if (N > MAX_N || (N & (N - 1)) !== 0 || r > 32 || p > 16) return null;
  return { N, r, p };
}

/** The hash was made with weaker parameters than today's: re-hash it at the next good login. */
export function needsRehash(stored: string, target: ScryptParams = DEFAULT_SCRYPT): boolean {
  const params = paramsOf(stored);
  return !params || params.N < target.N || params.r < target.r || params.p < target.p;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const params = paramsOf(stored);
  if (!params) return false;
  const parts = stored.split('$');
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length < 16) return false;
  const key = await scrypt(password, salt, expected.length, { ...params, maxmem: maxmemOf(params) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * verifyPassword with a per-process memory of the pairs (stored hash, password) that verified.
 * At N=2^17 one verification costs ≈ 0.5 s of a core and 128 MiB; the demo's seats share one
 * hash, and the tests log seats in hundreds of times. What is remembered is an HMAC under a key
 * that lives only in this process — never the password — and only for successful checks: a
 * wrong password always pays the whole scrypt, and a changed password changes the stored hash,
 * so its old entry can no longer match.
 */
export class PasswordChecker {
  private readonly key = randomBytes(32);
  private readonly verified = new Set<string>();

  constructor(private readonly capacity = 4_096) {}

  private tag(password: string, stored: string): string {
    return createHmac('sha256', this.key).update(stored).update('\0').update(password).digest('base64');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const tag = this.tag(password, stored);
    if (this.verified.has(tag)) return true;
    const ok = await verifyPassword(password, stored);
    if (ok) {
      if (this.verified.size >= this.capacity) this.verified.delete(this.verified.values().next().value!);
      this.verified.add(tag);
    }
    return ok;
  }
}
