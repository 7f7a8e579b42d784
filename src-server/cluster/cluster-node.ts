// A server node of a cluster (issue 20): the command path and the sync feed on the shared
// PostgreSQL store, the live pushes fanned out to every node's sockets by the socket.io Redis
// Streams adapter, the seats' sessions in PostgreSQL (a token of one node is valid on all; a
// revocation reaches every node's sockets through the adapter). Each node keeps its own local
// SQLite for the reference data, seats, photos and the other services (docs/deployment.md says
// what is shared and what not).
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import type { Case } from '../../src-shared/protocol/entities';
import type { CommandService } from '../cases/command-service';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';
import type { Seats } from '../auth/seats';
import { PgDispatchStore } from '../store/pg/pg-dispatch-store';
import { PgSessionStore } from '../store/pg/pg-session-store';
import { PgPhotoStore } from '../store/pg/pg-photo-store';
import { PgAlertFeed } from '../store/pg/pg-alert-feed';
import type { PhotoStore } from '../photos/photo-store';

export interface ClusterOptions {
  /** postgres://user@host:port/db — the cluster's store. */
  postgres: string;
  /** redis://host:port — fan-out between nodes; without it pushes reach this node's sockets only. */
  redis?: string;
  /** This node's name in logs and health (n1, n2, …). */
  nodeId: string;
  /** PostgreSQL connections of this node (default 10). */
  poolSize?: number;
}

export interface ClusterLink {
  nodeId: string;
  store: PgDispatchStore;
  /** Seats' sessions in PostgreSQL: a token of any node is accepted by every node. */
  sessions: PgSessionStore;
  /** Uploaded photos in PostgreSQL (the node's own files answer for what it rendered itself). */
  photos(local: PhotoStore): PgPhotoStore;
  /** The alert feed in PostgreSQL: raised on any node, acknowledged and escalated once for all. */
  alerts(escalateAfterMs: number, log: (line: string) => void): PgAlertFeed;
  /** First node: copy the locally imported live cases and number counters into PostgreSQL. */
  seed(db: Db, log: (line: string) => void): Promise<void>;
  /** Fan the socket.io server's rooms out through Redis (before it listens). */
  attach(io: Server): Promise<void>;
  close(): Promise<void>;
}

type Redis = ReturnType<typeof createClient>;

export async function joinCluster(
  options: ClusterOptions,
  commands: CommandService,
  ref: ReferenceData,
  seats: Seats,
  now: () => number,
): Promise<ClusterLink> {
  const store = await PgDispatchStore.open({
    url: options.postgres,
    cityCode: ref.cityCode,
    commands,
    now,
    max: options.poolSize,
  });
  let redis: Redis | null = null;
  return {
    nodeId: options.nodeId,
    store,
    sessions: new PgSessionStore(store.pool, seats, now),
    photos: (local) => new PgPhotoStore(store.pool, local, now),
    alerts: (escalateAfterMs, log) => new PgAlertFeed(store.pool, now, escalateAfterMs, log),
    async seed(db, log) {
      const copied = await store.seed(
        () => ({
          cases: (db.prepare('SELECT json FROM cases').all() as { json: string }[]).map(
            (r) => JSON.parse(r.json) as Case,
          ),
          counters: db.prepare('SELECT day, town_code, last FROM case_number_seq').all() as {
            day: string;
            town_code: string;
            last: number;
          }[],
        }),
        options.nodeId,
      );
      if (copied > 0) log(`node ${options.nodeId}: seeded the cluster store with ${copied} live cases`);
    },
    async attach(io) {
      if (!options.redis) return;
      const client: Redis = createClient({ url: options.redis });
      // Redis restarting must not take the node down: the client reconnects by itself.
      client.on('error', () => undefined);
      await client.connect();
      redis = client;
      io.adapter(createAdapter(client, { blockTimeInMs: 1_000 }));
    },
    async close() {
      await store.close();
      if (redis?.isOpen) await redis.close().catch(() => redis?.destroy());
    },
  };
}
