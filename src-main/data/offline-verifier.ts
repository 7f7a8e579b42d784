// The console's offline verifier of a seat's password (kept in session.json so the seat that
// logged in before can start while the server is down). scrypt at the server's parameters
// (issue 14 §5: N=2^17, r=8, p=1), stored with them as `scrypt$N$r$p$<salt>$<hash>`; the first
// format (`<salt>$<hash>`, N=2^14) still verifies and is replaced at the next good login.
// Computed on libuv's pool (async scrypt), so the worker keeps answering meanwhile.
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

interface Params {
  N: number;
  r: number;
  p: number;
}

export const VERIFIER_SCRYPT: Params = { N: 1 << 17, r: 8, p: 1 };
const LEGACY: Params = { N: 1 << 14, r: 8, p: 1 };

const scrypt = (password: string, salt: Buffer, keylen: number, params: Params): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(
      password,
      salt,
      keylen,
      { ...params, maxmem: 128 * params.N * params.r + (16 << 20) },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );

// The verifiers made in this process, by an HMAC of the password under a key that never leaves
// it: the same operator logging in again gets the same verifier without another 0.5 s of scrypt
// (a workstation holds one session.json, so this is what keeping the old verifier would give).
const memoKey = randomBytes(32);
const made = new Map<string, string>();

export async function makeVerifier(password: string, params: Params = VERIFIER_SCRYPT): Promise<string> {
  const tag = createHmac('sha256', memoKey)
    .update(`${params.N}$${params.r}$${params.p}\0${password}`)
    .digest('base64');
  const known = made.get(tag);
  if (known) return known;
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, params);
  const verifier = `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
  if (made.size >= 64) made.delete(made.keys().next().value!);
  made.set(tag, verifier);
  return verifier;
}

function parse(verifier: string): { params: Params; salt: Buffer; hash: Buffer } | null {
  const parts = verifier.split('$');
  if (parts.length === 2 && parts[0] && parts[1])
    return { params: LEGACY, salt: Buffer.from(parts[0], 'base64'), hash: Buffer.from(parts[1], 'base64') };
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  if (N > 1 << 20 || (N & (N - 1)) !== 0 || r > 32 || p > 16) return null;
  return {
    params: { N, r, p },
    salt: Buffer.from(parts[4], 'base64'),
    hash: Buffer.from(parts[5], 'base64'),
  };
}

export async function verifies(password: string, verifier: string): Promise<boolean> {
  const v = parse(verifier);
  if (!v || v.hash.length < 16) return false;
  const got = await scrypt(password, v.salt, v.hash.length, v.params);
  return timingSafeEqual(got, v.hash);
}

/** Made with weaker parameters than today's (or unreadable): replace it at the next good login. */
export function verifierNeedsUpgrade(verifier: string): boolean {
  const v = parse(verifier);
  return (
    !v || v.params.N < VERIFIER_SCRYPT.N || v.params.r < VERIFIER_SCRYPT.r || v.params.p < VERIFIER_SCRYPT.p
  );
}
