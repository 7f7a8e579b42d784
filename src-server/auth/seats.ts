// Seats and sessions. A user has one role bound to one jurisdiction (city, town or village; a
// field officer to a grid); login returns a random bearer token whose sha256 is stored, so a
// copy of the database does not hand out live sessions.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../src-shared/domain/case-model';
import type { Db } from '../store/database';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, paramsOf, PasswordChecker } from './passwords';

export interface User {
  id: string;
  userName: string;
  displayName: string;
  role: Role;
  scopeCode: string;
  officerId: string | null;
  disabled: boolean;
}

export interface NewUser {
  id: string;
  userName: string;
  displayName: string;
  role: Role;
  scopeCode: string;
  officerId?: string | null;
  /** Already hashed (see passwords.ts). */
  passwordHash: string;
}

interface UserRow {
  id: string;
  user_name: string;
  display_name: string;
  role: Role;
  scope_code: string;
  officer_id: string | null;
  password_hash: string;
  disabled: number;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  userName: r.user_name,
  displayName: r.display_name,
  role: r.role,
  scopeCode: r.scope_code,
  officerId: r.officer_id,
  disabled: r.disabled === 1,
});

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** What is stored of a bearer token: its sha256 (a copy of the store hands out no session). */
export const tokenDigest = sha256;

/** A bearer token is 16–512 characters; anything else is refused before a lookup. */
export const plausibleToken = (token: unknown): token is string =>
  typeof token === 'string' && token.length >= 16 && token.length <= 512;

export const SESSION_TTL_MS = 12 * 3_600_000; // one duty shift and a half

export type LoginOutcome =
  | { ok: true; token: string; user: User; expiresAt: number }
  | { ok: false; code: 'BAD_CREDENTIALS' | 'DISABLED'; message: string };

/** A session ended before its time (logout, password change): the sockets it opened must close. */
export type Revocation = { tokenHash: string } | { userId: string };

export class Seats {
  private readonly revokeListeners: ((r: Revocation) => void)[] = [];
  private readonly passwords = new PasswordChecker();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  insertUsers(users: readonly NewUser[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO users (id, user_name, display_name, role, scope_code, officer_id, password_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const at = this.now();
    this.db.transaction(() => {
      for (const u of users)
        stmt.run(
          u.id,
          u.userName,
          u.displayName,
          u.role,
          u.scopeCode,
          u.officerId ?? null,
          u.passwordHash,
          at,
        );
    })();
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  byId(id: string): User | null {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  byUserName(userName: string): User | null {
    const r = this.db.prepare('SELECT * FROM users WHERE user_name = ?').get(userName) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  byOfficerId(officerId: string): User | null {
    const r = this.db.prepare('SELECT * FROM users WHERE officer_id = ?').get(officerId) as
      UserRow | undefined;
    return r ? toUser(r) : null;
  }

  async login(userName: string, password: string): Promise<LoginOutcome> {
    const checked = await this.verify(userName, password);
    return checked.ok ? { ok: true, ...this.issueToken(checked.user.id), user: checked.user } : checked;
  }

  /**
   * The password check of a login without issuing a session (the cluster's session store issues
   * its sessions in PostgreSQL, pg/pg-session-store.ts).
   */
  async verify(
    userName: string,
    password: string,
  ): Promise<{ ok: true; user: User } | Extract<LoginOutcome, { ok: false }>> {
    const row = this.db.prepare('SELECT * FROM users WHERE user_name = ?').get(userName) as
      UserRow | undefined;
    // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
    // A seat that cannot log in (the system seat's NO_LOGIN) spends the same time as the others.
    const usable = row !== undefined && paramsOf(row.password_hash) !== null;
    const ok = (await this.passwords.verify(password, usable ? row.password_hash : DUMMY_HASH)) && usable;
    if (!row || !ok) return { ok: false, code: 'BAD_CREDENTIALS', message: 'wrong user name or password' };
    if (row.disabled) return { ok: false, code: 'DISABLED', message: `user ${userName} is disabled` };
    // A hash made with older (weaker) scrypt parameters is replaced now that the password is known;
    // only if it is still the one checked (a password change meanwhile wins).
    if (needsRehash(row.password_hash)) {
      const next = await hashPassword(password);
      this.db
        .prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?')
        .run(next, row.id, row.password_hash);
    }
    return { ok: true, user: toUser(row) };
  }

  /** A session for a known user (the simulator's officers and tests use this; logins call it too). */
  issueToken(userId: string): { token: string; expiresAt: number } {
    this.purgeExpired();
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = now + SESSION_TTL_MS;
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(sha256(token), userId, now, expiresAt);
    return { token, expiresAt };
  }

  /** The user behind a bearer token, or null when unknown, expired or disabled. */
  authenticate(token: string): User | null {
    return this.session(token)?.user ?? null;
  }

  /** The live session of a bearer token: its user, when it expires and the token's digest. */
  session(token: string): { user: User; expiresAt: number; tokenHash: string } | null {
    if (!plausibleToken(token)) return null;
    const tokenHash = sha256(token);
    const row = this.db
      .prepare(
        `SELECT u.*, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
      )
      .get(tokenHash, this.now()) as (UserRow & { session_expires_at: number }) | undefined;
    return row ? { user: toUser(row), expiresAt: row.session_expires_at, tokenHash } : null;
  }

  /** Called when a session ends early, so open sockets of that session can be closed. */
  onRevoke(listener: (r: Revocation) => void): void {
    this.revokeListeners.push(listener);
  }

  private revoke(r: Revocation): void {
    for (const l of this.revokeListeners) l(r);
  }

  logout(token: string): void {
    if (typeof token !== 'string' || token.length > 512) return;
    const tokenHash = sha256(token);
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    this.revoke({ tokenHash });
  }

  /** Delete expired sessions (a login and the gateway's sweep call this); returns how many. */
  purgeExpired(): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.now()).changes;
  }

  sessionCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  }

  /** The stored hash of a seat (tests check its parameters; never leaves the server). */
  passwordHashOf(userId: string): string | null {
    const r = this.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as
      { password_hash: string } | undefined;
    return r?.password_hash ?? null;
  }

  async setPassword(userId: string, password: string): Promise<void> {
    this.adoptPasswordHash(userId, await hashPassword(password));
    this.endSessionsOf(userId);
  }

  /** Store an already computed hash (a password changed on another node of a cluster). */
  adoptPasswordHash(userId: string, hash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
  }

  /** End every session of a seat (password change, the admin revoking the seat). */
  endSessionsOf(userId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
    this.revoke({ userId });
  }

  /** Of these token digests, those whose session is still live (the gateway's sweep asks). */
  liveOf(tokenHashes: readonly string[]): Set<string> {
    const stmt = this.db.prepare('SELECT 1 FROM sessions WHERE token_hash = ? AND expires_at > ?');
    const now = this.now();
    return new Set(tokenHashes.filter((h) => stmt.get(h, now) !== undefined));
  }
}

// A valid hash of a random password at today's parameters, used only to spend the same time on
// unknown user names.
const DUMMY_HASH =
  `scrypt$${DEFAULT_SCRYPT.N}$${DEFAULT_SCRYPT.r}$${DEFAULT_SCRYPT.p}$AAAAAAAAAAAAAAAAAAAAAA==$` +
  Buffer.alloc(32, 7).toString('base64');
