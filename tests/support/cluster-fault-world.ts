// The fault scenario's world on a cluster (issue 20): process nodes (`scripts/server.ts --store …
// --redis …`, tests/support/cluster-harness.ts) on one PostgreSQL and one Redis. Each console
// talks to one node through its own front (the single address in front of the nodes,
// tests/support/front.ts); the server fault is a node SIGKILLed and started again on its port
// in the background; field officers' phones talk to a node over socket.io; the oracle reads the
// truth from PostgreSQL. Used by tests/integration/cluster-faults.test.ts and bench/sync-soak.ts.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Case } from '../../src-shared/protocol/entities';
import { LoginResponse } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { makeVerifier } from '../../src-main/data/offline-verifier';
import { ReferenceData } from '../../src-server/reference/reference-data';
import { scopeColumn } from '../../src-server/store/event-log';
import { SessionFile, type StoredSession } from '../../src-main/data/session/session-file';
import type { LocalCluster } from './cluster-harness';
import { testSecrets } from './console-harness';
import { seatNames, type ScenarioWorld, type Truth } from './fault-scenario';
import { pickArea } from './fixtures';
import { startFront } from './front';
import { connectConsole, login } from './server-client';

export interface ClusterWorld extends ScenarioWorld {
  /** Wait for the nodes being restarted, close the world's PostgreSQL pool. */
  close(): Promise<void>;
}

/** The truth of a cluster: its PostgreSQL store, read independently of the nodes. */
function pgTruth(pool: pg.Pool): Truth {
  const column = (scopeCode: string): string => {
    const col = scopeColumn(scopeCode);
    if (col === null || col === 'grid_code') throw new Error(`not a town or village: ${scopeCode}`);
    return col;
  };
  return {
    async answers(ids) {
      const r = await pool.query<{ command_id: string; status: string; answer: string }>(
        'SELECT command_id, status, answer FROM commands WHERE command_id = ANY($1)',
        [ids],
      );
      return new Map(r.rows.map((row) => [row.command_id, row]));
    },
    async doubled() {
      const r = await pool.query<{ cid: string; n: string }>(
        `SELECT json::jsonb ->> 'commandId' AS cid, count(*) AS n FROM events
         WHERE json::jsonb ->> 'commandId' IS NOT NULL GROUP BY 1 HAVING count(*) > 1 LIMIT 1`,
      );
      return r.rows[0] ? { cid: r.rows[0].cid, n: Number(r.rows[0].n) } : null;
    },
    async scopeCases(scopeCode) {
      const r = await pool.query<{ id: string; json: string }>(
        `SELECT id, json FROM cases WHERE ${column(scopeCode)} = $1 ORDER BY id`,
        [scopeCode],
      );
      return r.rows;
    },
    async scopeSeqs(scopeCode, after) {
      const r = await pool.query<{ seq: string }>(
        `SELECT seq FROM events WHERE ${column(scopeCode)} = $1 AND seq > $2 ORDER BY seq`,
        [scopeCode, after],
      );
      return r.rows.map((row) => Number(row.seq));
    },
    async lastSeqOf(scopeCode) {
      const r = await pool.query<{ seq: string }>(
        `SELECT coalesce(max(seq), 0) AS seq FROM events WHERE ${column(scopeCode)} = $1`,
        [scopeCode],
      );
      return Number(r.rows[0].seq);
    },
    async officerCases(townCode) {
      const r = await pool.query<{ json: string }>(
        "SELECT json FROM cases WHERE town_code = $1 AND state IN ('dispatched', 'handling') ORDER BY id",
        [townCode],
      );
      return r.rows.map((row) => JSON.parse(row.json) as Case).filter((c) => c.assignee?.kind === 'officer');
    },
  };
}

/** A seat's login on a node over HTTP (no client timeout: scrypt on a loaded box takes its time). */
async function loginAnswer(url: string, userName: string): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName, password: DEMO_PASSWORD }),
  });
  const body = (await res.json()) as { ok: boolean; data?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`login ${userName} on ${url}: ${body.error?.message}`);
  return LoginResponse.parse(body.data);
}

const pickSeat = ({ userName, displayName, role, scopeCode }: LoginResponse['seat']) => ({
  userName,
  displayName,
  role,
  scopeCode,
});

/** The reference data every node imported, read from the first node's local store. */
function referenceOf(cluster: LocalCluster): ReferenceData {
  const db = new Database(join(cluster.nodes[0].dataDir, 'server.sqlite'), { readonly: true });
  try {
    return ReferenceData.load(db);
  } finally {
    db.close();
  }
}

export async function prepareClusterWorld(cluster: LocalCluster, townIndex = 7): Promise<ClusterWorld> {
  const { nodes } = cluster;
  if (nodes.some((n) => !n.child)) throw new Error('the cluster world needs process nodes (it kills them)');
  const ref = referenceOf(cluster);
  const area = pickArea({ ref }, townIndex);
  const pool = new pg.Pool({ connectionString: cluster.pg.url, max: 3 });
  pool.on('error', () => undefined);

  // Per seat: a login on every node (sessions are per node until they are shared in the store);
  // the stored session a console starts from is built from the first node's answer.
  const verifier = await makeVerifier(DEMO_PASSWORD);
  const templates = new Map<string, { session: StoredSession; tokens: string[] }>();
  const seats = [];
  for (const userName of seatNames(area)) {
    const answers = [];
    for (const node of nodes) answers.push(await loginAnswer(node.url, userName));
    const { seat, expiresAt } = answers[0];
    const seatInfo = { serverUrl: nodes[0].url, seatId: seat.id, ...pickSeat(seat) };
    const session: StoredSession = {
      serverUrl: nodes[0].url,
      seat: seatInfo,
      sealedToken: '',
      secretKind: testSecrets.kind,
      expiresAt,
      verifier,
    };
    templates.set(userName, { session, tokens: answers.map((a) => a.token) });
    seats.push({ userName, scopeCode: seat.scopeCode });
  }

  /** Nodes being started again after a kill, and the promise of their being back. */
  const restarting = new Map<number, Promise<void>>();
  const ports = nodes.map((n) => Number(new URL(n.url).port));
  /** Field officers' phones: a token per officer and node, logged in on first use. */
  const phoneTokens = new Map<string, Promise<string>>();
  const upNodes = (): number[] => nodes.map((_, k) => k).filter((k) => !restarting.has(k));

  return {
    area,
    seats,
    ref,
    nodes: nodes.length,
    upNodes,
    front: (node) => startFront(node, () => ports),
    /** The one place that knows sessions are per node: the token of the node the front routes to. */
    writeSession(seat, dir, front) {
      const t = templates.get(seat.userName)!;
      new SessionFile(dir, front.url).write({
        ...t.session,
        serverUrl: front.url,
        seat: { ...t.session.seat, serverUrl: front.url },
        sealedToken: testSecrets.seal(t.tokens[front.node]),
      });
    },
    truth: pgTruth(pool),
    async officerActs(officerId, command) {
      const number = ref.officers.get(officerId)?.number;
      const up = upNodes();
      if (!number || up.length === 0) return;
      // One node per officer while it is up (one login each, not one per node).
      const k = up[[...officerId].reduce((h, ch) => h + ch.charCodeAt(0), 0) % up.length];
      const key = `${k}/${number}`;
      if (!phoneTokens.has(key)) phoneTokens.set(key, login(nodes[k], number));
      try {
        const phone = await connectConsole(nodes[k], await phoneTokens.get(key)!);
        try {
          await phone.request('command', {
            commandId: uuidv7(),
            clientId: phone.clientId,
            clientTime: Date.now(),
            ...command,
          });
        } finally {
          phone.close();
        }
      } catch {
        // The node went down meanwhile: the phone's command is lost, as on a real phone.
        phoneTokens.delete(key);
      }
    },
    async crash(node) {
      if (restarting.has(node)) throw new Error(`node ${node} is already down`);
      await nodes[node].kill();
      const back = nodes[node].restart().finally(() => restarting.delete(node));
      back.catch(() => undefined); // awaited by whenUp / close; a failed start fails the seed there
      restarting.set(node, back);
    },
    whenUp: (node) => restarting.get(node) ?? Promise.resolve(),
    async close() {
      await Promise.allSettled([...restarting.values()]);
      await pool.end();
    },
  };
}
