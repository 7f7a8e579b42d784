// Login throttling: wrong passwords per account and per address earn a growing
// wait (1 s, 2 s, 4 s … ≤ 30 s) and, past a bound, a lockout of 15 minutes. While a key waits,
// every attempt — the right password too — is refused with when to retry, so guessing costs
// time whatever the guesser does. Per address the bounds are higher: one office behind one
// address must not lock itself out because one seat mistyped.
export interface ThrottlePolicy {
  /** Wrong tries allowed without waiting. */
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wrong tries (within the window) that lock the key. */
  lockAfter: number;
  lockMs: number;
  /** Failures older than this are forgotten (when the key is not waiting). */
  windowMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  free: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};
export const ADDRESS_POLICY: ThrottlePolicy = {
  free: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  lockAfter: 50,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};

interface KeyState {
  failures: number;
  firstAt: number;
  blockedUntil: number;
  locked: boolean;
}

export type ThrottleVerdict =
  | { ok: true }
  | { ok: false; code: 'LOGIN_THROTTLED' | 'LOGIN_LOCKED'; retryAfterMs: number; retryAt: number };

const MAX_KEYS = 100_000;

export class LoginThrottle {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly policy: ThrottlePolicy) {}

  check(key: string, now: number): ThrottleVerdict {
    const s = this.live(key, now);
    if (!s || s.blockedUntil <= now) return { ok: true };
    return {
      ok: false,
      code: s.locked ? 'LOGIN_LOCKED' : 'LOGIN_THROTTLED',
      retryAfterMs: s.blockedUntil - now,
      retryAt: s.blockedUntil,
    };
  }

  fail(key: string, now: number): void {
    const p = this.policy;
    const s = this.live(key, now) ?? { failures: 0, firstAt: now, blockedUntil: 0, locked: false };
    s.failures++;
    if (s.failures >= p.lockAfter) {
      s.locked = true;
      s.blockedUntil = now + p.lockMs;
    } else if (s.failures >= p.free) {
      s.blockedUntil = now + Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (s.failures - p.free));
    }
    this.keys.set(key, s);
    if (this.keys.size > MAX_KEYS) this.prune(now);
  }

  succeed(key: string): void {
    this.keys.delete(key);
  }

  private live(key: string, now: number): KeyState | null {
    const s = this.keys.get(key);
    if (!s) return null;
    if (s.blockedUntil <= now && (s.locked || now - s.firstAt > this.policy.windowMs)) {
      this.keys.delete(key); // a served lockout or an old run of failures starts afresh
      return null;
    }
    return s;
  }

  private prune(now: number): void {
    for (const key of [...this.keys.keys()]) this.live(key, now);
  }
}
