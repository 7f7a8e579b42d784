import type { Migration } from '../../../../src-node/sqlite/migrate';

// Issue 18 #11: a one-click action waits a few seconds in the outbox so it can be undone.
export const outbox0002HoldUntil: Migration = {
  version: 2,
  name: 'hold-until',
  up(db) {
    db.exec('ALTER TABLE outbox ADD COLUMN hold_until INTEGER');
  },
};
