// The PostgreSQL engine of the session store (auth/session-store.ts) for a cluster node: sessions
// in the shared `sessions` table (migration 3), so a token issued by n1 is accepted by n2 and n3
// and a logout on any node ends it everywhere. The seat itself (name, role, scope, disabled) is
// read from the node's local store — every node imports the same dataset, so the ids agree.
// A password changed on one node is kept in `seat_passwords`; a node adopts it before it checks
// a login of that seat. No session is cached on a node: each lookup is one indexed read.
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Session, SessionStore } from '../../auth/session-store';
import { hashPassword } from '../../auth/passwords';
import {
  plausibleToken,
  SESSION_TTL_MS,
  tokenDigest,
  type LoginOutcome,
  type Revocation,
  type Seats,
} from '../../auth/seats';

export class PgSessionStore implements SessionStore {
  readonly engine = 'postgres' as const;
  private readonly listeners: ((r: Revocation) => void)[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly seats: Seats,
    private readonly now: () => number,
  ) {}

  async login(userName: string, password: string): Promise<LoginOutcome> {
    const seat = this.seats.byUserName(userName);
    if (seat) {
      const changed = await this.pool.query<{ password_hash: string }>(
        'SELECT password_hash FROM seat_passwords WHERE user_id = $1',
        [seat.id],
      );
      const hash = changed.rows[0]?.password_hash;
      if (hash && hash !== this.seats.passwordHashOf(seat.id)) this.seats.adoptPasswordHash(seat.id, hash);
    }
    const checked = await this.seats.verify(userName, password);
    if (!checked.ok) return checked;
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = now + SESSION_TTL_MS;
    await this.pool.query(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [tokenDigest(token), checked.user.id, now, expiresAt],
    );
    return { ok: true, token, expiresAt, user: checked.user };
  }

  async session(token: string): Promise<Session | null> {
    if (!plausibleToken(token)) return null;
    const tokenHash = tokenDigest(token);
    const r = await this.pool.query<{ user_id: string; expires_at: string }>(
      'SELECT user_id, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2',
      [tokenHash, this.now()],
    );
    const row = r.rows[0];
    if (!row) return null;
    const user = this.seats.byId(row.user_id);
    if (!user || user.disabled) return null;
    return { user, expiresAt: Number(row.expires_at), tokenHash };
  }

  async logout(token: string): Promise<void> {
    if (typeof token !== 'string' || token.length > 512) return;
    const tokenHash = tokenDigest(token);
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    this.revoke({ tokenHash });
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.pool.query(
      `INSERT INTO seat_passwords (user_id, password_hash, changed_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, changed_at = EXCLUDED.changed_at`,
      [userId, hash, this.now()],
    );
    this.seats.adoptPasswordHash(userId, hash);
    await this.endSessionsOf(userId);
  }

  async endSessionsOf(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    this.revoke({ userId });
  }

  async purgeExpired(): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [this.now()])).rowCount ?? 0;
  }

  async liveOf(tokenHashes: readonly string[]): Promise<Set<string>> {
    if (tokenHashes.length === 0) return new Set();
    const r = await this.pool.query<{ token_hash: string }>(
      'SELECT token_hash FROM sessions WHERE token_hash = ANY($1) AND expires_at > $2',
      [tokenHashes, this.now()],
    );
    return new Set(r.rows.map((x) => x.token_hash));
  }

  onRevoke(listener: (r: Revocation) => void): void {
    this.listeners.push(listener);
  }

  private revoke(r: Revocation): void {
    for (const l of this.listeners) l(r);
  }
}
