import type { Migration } from '../../../src-node/sqlite/migrate';

// Jurisdiction: a stored command answer belongs to the user who sent the command and
// to exactly that request (the digest of its type, payload and base version), so a reused
// commandId is answered with the stored answer only for the same user and the same request.
export const m0003Jurisdiction: Migration = {
  version: 3,
  name: 'jurisdiction',
  up(db) {
    db.exec(`
      ALTER TABLE commands ADD COLUMN request_digest TEXT;
      CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
      CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
    `);
  },
};
