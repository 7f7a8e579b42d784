// scrypt to current guidance (issue 14 §5): the server's password hashes and the console's
// offline verifier at N=2^17, r=8, p=1 with the parameters stored in each; older ones verify and
// are marked for re-hashing; the per-process memory of good checks never remembers a wrong one.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  hashPassword,
  needsRehash,
  paramsOf,
  PasswordChecker,
  verifyPassword,
} from '../../src-server/auth/passwords';
import {
  makeVerifier,
  VERIFIER_SCRYPT,
  verifierNeedsUpgrade,
  verifies,
} from '../../src-main/data/offline-verifier';
import { randomBytes, scryptSync } from 'node:crypto';

describe('server password hashes', () => {
  it('are made at N=2^17, r=8, p=1 and carry their parameters', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(paramsOf(hash)).toEqual({ N: 131072, r: 8, p: 1 });
    expect(needsRehash(hash)).toBe(false);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('of older parameters still verify and are marked for re-hashing', async () => {
    const old = await hashPassword('grid-demo-2026', { N: 1 << 15, r: 8, p: 1 });
    expect(old.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('grid-demo-2026', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('refuses unreadable or absurd stored parameters instead of running them', async () => {
    const salt = Buffer.alloc(16).toString('base64');
    const key = Buffer.alloc(32).toString('base64');
    for (const bad of [
      `scrypt$${1 << 24}$8$1$${salt}$${key}`, // 16 GiB of memory
      `scrypt$1000$8$1$${salt}$${key}`, // not a power of two
      `scrypt$-1$8$1$${salt}$${key}`,
      `bcrypt$x`,
      '',
    ]) {
      expect(paramsOf(bad)).toBeNull();
      expect(await verifyPassword('whatever-it-is', bad)).toBe(false);
    }
  });

  it('the checker remembers good checks only, per stored hash', async () => {
    // The memory does not depend on the cost: small parameters keep this case quick.
    const cheap = { N: 1 << 10, r: 8, p: 1 };
    const checker = new PasswordChecker();
    const hash = await hashPassword('grid-demo-2026', cheap);
    expect(await checker.verify('grid-demo-2026x', hash)).toBe(false);
    expect(await checker.verify('grid-demo-2026x', hash)).toBe(false);
    expect(await checker.verify('grid-demo-2026', hash)).toBe(true);
    expect(await checker.verify('grid-demo-2026', hash)).toBe(true);
    // The same password against another hash (a changed password) is checked afresh and fails.
    const other = await hashPassword('another-password', cheap);
    expect(await checker.verify('grid-demo-2026', other)).toBe(false);
    expect(await checker.verify('another-password', other)).toBe(true);
  });
});

describe('console offline verifier', () => {
  it('is made at the server parameters and stored with them', async () => {
    expect(VERIFIER_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const v = await makeVerifier('grid-demo-2026');
    expect(v).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifies('grid-demo-2026', v)).toBe(true);
    expect(await verifies('grid-demo-2027', v)).toBe(false);
    expect(verifierNeedsUpgrade(v)).toBe(false);
  });

  it('reads the first format (salt$hash at N=2^14) and marks it for upgrade', async () => {
    const salt = randomBytes(16);
    const legacy = `${salt.toString('base64')}$${scryptSync('grid-demo-2026', salt, 32, { N: 1 << 14 }).toString('base64')}`;
    expect(await verifies('grid-demo-2026', legacy)).toBe(true);
    expect(await verifies('grid-demo-2025', legacy)).toBe(false);
    expect(verifierNeedsUpgrade(legacy)).toBe(true);
    expect(await verifies('grid-demo-2026', 'garbage')).toBe(false);
  });
});
