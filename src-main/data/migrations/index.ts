// The numbered migrations of the console's two SQLite files, one file each (like the server's
// src-server/store/migrations), run by src-node's runner. In order; a migration's version is its
// position (1-based). Never edit a shipped one: add a new one, with its test in
// tests/unit/console-migrations.test.ts.
import type { Migration } from '../../../src-node/sqlite/migrate';
import { cache0001Initial } from './cache/0001-initial';
import { cache0002MapColumnsTracks } from './cache/0002-map-columns-tracks';
import { outbox0001Initial } from './outbox/0001-initial';
import { outbox0002HoldUntil } from './outbox/0002-hold-until';

/** cache.sqlite: the server's truth for the seat's scope; it can always be rebuilt. */
export const CACHE_MIGRATIONS: readonly Migration[] = [cache0001Initial, cache0002MapColumnsTracks];

/** outbox.sqlite: the operator's queued actions (synchronous=FULL, never moved aside). */
export const OUTBOX_MIGRATIONS: readonly Migration[] = [outbox0001Initial, outbox0002HoldUntil];
