// The admin and system seats do not share the demo password (issue 14 §5).
//
// - admin: its password is given by the deployment (`adminPassword` option, from
//   GRID_CONSOLE_ADMIN_PASSWORD or `--admin-password-file`), or else generated at the first
//   start of a store, written to <dataDir>/admin.password (mode 0600) and printed once in the
//   server log. Later starts only say where the file is. A given password replaces the stored
//   one when it differs (and the generated file is removed: it no longer tells the truth).
// - system: the server's own actor (imports, timers, the simulator's desks act through
//   Seats.issueToken, never a login). No password verifies for it unless the deployment gives
//   one (`systemPassword`, GRID_CONSOLE_SYSTEM_PASSWORD) for an integration that must log in.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/database';
import { hashPassword, verifyPassword } from './passwords';

export const ADMIN_SEAT = 'U-admin';
export const SYSTEM_SEAT = 'U-system';
export const ADMIN_PASSWORD_FILE = 'admin.password';
/** Stored instead of a hash: no password verifies against it (passwords.ts reads it as not ours). */
export const NO_LOGIN = '!no-login';
const MIN_LENGTH = 12;

export interface OperatorSecretsOptions {
  db: Db;
  dataDir: string;
  adminPassword?: string;
  systemPassword?: string;
  log: (line: string) => void;
}

const hashOf = (db: Db, id: string): string | null =>
  (
    db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as
      { password_hash: string } | undefined
  )?.password_hash ?? null;

function setHash(db: Db, id: string, hash: string): void {
  db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, id);
  db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
}

const metaKey = (id: string): string => `own_password:${id}`;
const done = (db: Db, id: string): boolean =>
  db.prepare('SELECT 1 FROM meta WHERE key = ?').get(metaKey(id)) !== undefined;
const markDone = (db: Db, id: string, how: string): void => {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(metaKey(id), how);
};

function checkGiven(name: string, password: string): void {
  if (password.length < MIN_LENGTH)
    throw new Error(`the ${name} password needs at least ${MIN_LENGTH} characters`);
}

/** Give the admin and system seats their own secrets; called at every start (cheap after the first). */
export async function ensureOperatorSecrets(options: OperatorSecretsOptions): Promise<void> {
  const { db, log } = options;
  const adminFile = join(options.dataDir, ADMIN_PASSWORD_FILE);
  const adminHash = hashOf(db, ADMIN_SEAT);
  if (adminHash !== null) {
    if (options.adminPassword !== undefined) {
      checkGiven('admin', options.adminPassword);
      if (!(await verifyPassword(options.adminPassword, adminHash))) {
        setHash(db, ADMIN_SEAT, await hashPassword(options.adminPassword));
        log('admin password: set from the deployment (GRID_CONSOLE_ADMIN_PASSWORD / --admin-password-file)');
      }
      if (existsSync(adminFile)) rmSync(adminFile);
      markDone(db, ADMIN_SEAT, 'given');
    } else if (!done(db, ADMIN_SEAT)) {
      const password = randomBytes(18).toString('base64url');
      setHash(db, ADMIN_SEAT, await hashPassword(password));
      writeFileSync(adminFile, `${password}\n`, { mode: 0o600 });
      chmodSync(adminFile, 0o600); // an older file keeps its mode through writeFileSync
      markDone(db, ADMIN_SEAT, 'generated');
      log(`admin password (generated now, shown once; kept in ${adminFile}, mode 0600): ${password}`);
    } else {
      log(
        existsSync(adminFile)
          ? `admin password: in ${adminFile}`
          : 'admin password: as set by the deployment (not stored in clear)',
      );
    }
  }
  if (hashOf(db, SYSTEM_SEAT) !== null) {
    if (options.systemPassword !== undefined) {
      checkGiven('system', options.systemPassword);
      const stored = hashOf(db, SYSTEM_SEAT)!;
      if (!(await verifyPassword(options.systemPassword, stored)))
        setHash(db, SYSTEM_SEAT, await hashPassword(options.systemPassword));
      markDone(db, SYSTEM_SEAT, 'given');
    } else if (!done(db, SYSTEM_SEAT) || hashOf(db, SYSTEM_SEAT) !== NO_LOGIN) {
      setHash(db, SYSTEM_SEAT, NO_LOGIN);
      markDone(db, SYSTEM_SEAT, 'no-login');
    }
  }
}
