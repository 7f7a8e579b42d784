// Sessions as one interface with two engines, like the dispatch store (store/dispatch-store.ts):
// the embedded server keeps them in its SQLite `sessions` table (`Seats`, unchanged), a cluster
// node in PostgreSQL (store/pg/pg-session-store.ts) so a token issued by one node is accepted
// by every node. Async because PostgreSQL is. Seats themselves (names, roles, scopes) stay in
// each node's local store, imported from the same dataset.
//
// Revocation (logout, password change, the admin ending a seat's sessions) is told to the
// `onRevoke` listeners of the node where it happened; the socket gateway turns it into a room
// operation (`session:<digest>` / `seat:<id>`), which the socket.io adapter carries to the
// sockets of every node. Nothing caches a session: every handshake and HTTP request asks the
// store, and the gateway's sweep closes sockets whose session the store no longer has.
import type { LoginOutcome, Revocation, Seats, User } from './seats';

export interface Session {
  user: User;
  expiresAt: number;
  /** sha256 of the bearer token (what the store keeps). */
  tokenHash: string;
}

export interface SessionStore {
  readonly engine: 'sqlite' | 'postgres';
  login(userName: string, password: string): Promise<LoginOutcome>;
  /** The live session of a bearer token, or null when unknown, expired or the seat disabled. */
  session(token: string): Promise<Session | null>;
  logout(token: string): Promise<void>;
  /** A new password; every session of the seat ends. */
  setPassword(userId: string, password: string): Promise<void>;
  /** End every session of a seat (the admin revoking it). */
  endSessionsOf(userId: string): Promise<void>;
  /** Delete expired sessions; returns how many. */
  purgeExpired(): Promise<number>;
  /** Of these token digests, those whose session is still live. */
  liveOf(tokenHashes: readonly string[]): Promise<Set<string>>;
  /** Told of every revocation made through this store (this node's). */
  onRevoke(listener: (r: Revocation) => void): void;
}

/** The user behind a bearer token (null: unknown, expired, disabled). */
export async function authenticate(sessions: SessionStore, token: string | null): Promise<User | null> {
  return token ? ((await sessions.session(token))?.user ?? null) : null;
}

/** The embedded engine: `Seats`' synchronous sessions table, answered as promises. */
export class SqliteSessionStore implements SessionStore {
  readonly engine = 'sqlite' as const;

  constructor(private readonly seats: Seats) {}

  login(userName: string, password: string): Promise<LoginOutcome> {
    return this.seats.login(userName, password);
  }

  session(token: string): Promise<Session | null> {
    return Promise.resolve(this.seats.session(token));
  }

  logout(token: string): Promise<void> {
    return Promise.resolve(this.seats.logout(token));
  }

  setPassword(userId: string, password: string): Promise<void> {
    return this.seats.setPassword(userId, password);
  }

  endSessionsOf(userId: string): Promise<void> {
    return Promise.resolve(this.seats.endSessionsOf(userId));
  }

  purgeExpired(): Promise<number> {
    return Promise.resolve(this.seats.purgeExpired());
  }

  liveOf(tokenHashes: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(this.seats.liveOf(tokenHashes));
  }

  onRevoke(listener: (r: Revocation) => void): void {
    this.seats.onRevoke(listener);
  }
}
