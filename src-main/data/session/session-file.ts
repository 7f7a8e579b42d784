// The workstation's session record (`session.json`, 0600, written atomically): the seat that last
// logged in here, its token sealed by the SecretBox, and the verifier of its password
// (offline-verifier.ts) so the same seat can start offline. One file per data dir; a record for another server is not ours.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeatInfo } from '../cache-store';

export interface StoredSession {
  serverUrl: string;
  seat: SeatInfo;
  sealedToken: string;
  secretKind: string;
  expiresAt: number;
  /** scrypt verifier of the password, so the same seat can start offline. */
  verifier: string;
  /**
   * Set by logout: a restart does not reopen this seat; logging in again (online,
   * or offline with the same password) clears it.
   */
  loggedOut?: boolean;
}

/** The folder of a seat's files (cache, outbox, rollups) under `<dataDir>/seats/`. */
export const seatDirName = (serverUrl: string, userName: string): string =>
  `${createHash('sha256').update(serverUrl).digest('hex').slice(0, 12)}-${userName.replace(/[^A-Za-z0-9._-]/g, '_')}`;

export class SessionFile {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly serverUrl: string,
  ) {
    this.file = join(dataDir, 'session.json');
  }

  write(s: StoredSession): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(s), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }

  /** The stored session for this server, or null (none, another server's, or unreadable). */
  read(): StoredSession | null {
    if (!existsSync(this.file)) return null;
    try {
      const s = JSON.parse(readFileSync(this.file, 'utf8')) as StoredSession;
      return s.serverUrl === this.serverUrl && s.seat && s.sealedToken ? s : null;
    } catch {
      return null;
    }
  }
}
