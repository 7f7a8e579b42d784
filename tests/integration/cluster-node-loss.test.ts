// A node killed with SIGKILL in the middle of a stream of commands loses nothing (issue 20 §5).
// Three nodes as `npm run server -- --store … --redis … --node-id …` processes on one PostgreSQL
// and one Redis (all started by the harness on free loopback ports).
// 1. The console itself (the real DataService: cache, outbox, sync engine, socket link) logged in
//    once on node 1 with the list of nodes: node 1 is SIGKILLed while its outbox drains; the link
//    moves to node 2 with the same token (sessions are shared), the outbox drains with one stored
//    answer per command, and its cache converges to the store.
// 2. A protocol-level client with the list of node URLs and one token keeps up to 8 commands in
//    flight on node 2; node 2 is SIGKILLed after the 20th answer. The client moves to node 3
//    and re-sends every unanswered command with its commandId. Afterwards: every command has
//    exactly one stored answer, equal to what the client holds; no command has two events; the
//    log has no gap; a town console on node 3 ends on the town's whole chain.
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { CaseEvent } from '../../src-shared/protocol/entities';
import { PROTOCOL_VERSION, type CatchUpPage, type EventPush } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import { redisAvailable, startLocalCluster, type LocalCluster } from '../support/cluster-harness';
import { ensureSmallDataset } from '../support/datasets';
import { reportPayload } from '../support/fixtures';
import { postgresAvailable } from '../support/pg-harness';
import { connectConsole, login, type Ack, type TestConsole } from '../support/server-client';
import { DataService } from '../../src-main/data/data-service';
import { SocketIoLink } from '../../src-main/data/server-link';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { newConsoleDir, settled, testSecrets, type TestConsoleApp } from '../support/console-harness';

const available = postgresAvailable() && redisAvailable();

let cluster: LocalCluster;
let pool: pg.Pool;

interface Sent {
  commandId: string;
  command: Record<string, unknown>;
  answer: CommandAnswer | null;
}

/**
 * A console's command stream with a list of nodes: commands wait in order (an outbox); on a lost
 * link it moves to the next node and re-sends what has no answer yet, with the same commandIds.
 */
class FailoverClient {
  private socket: Socket | null = null;
  private at = 0;
  moves = 0;
  /** Sends after the first of the same command (its answer was lost with the link). */
  resent = 0;
  /** Answers that were refusals to retry (INTERNAL while the store is down, RATE_LIMITED). */
  refused = 0;

  constructor(
    private readonly urls: string[],
    private readonly token: string,
    private readonly clientId: string,
  ) {}

  private async connected(): Promise<Socket> {
    for (;;) {
      if (this.socket?.connected) return this.socket;
      this.socket?.close();
      const url = this.urls[this.at % this.urls.length];
      const s = io(url, {
        auth: { token: this.token, clientId: this.clientId, protocolVersion: PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const ok = await new Promise<boolean>((done) => {
        s.once('connect', () => done(true));
        s.once('connect_error', () => done(false));
      });
      if (ok) {
        this.socket = s;
        return s;
      }
      s.close();
      this.at++;
      this.moves++;
    }
  }

  /** Send until answered: a lost link or a refusal to retry moves on and sends again. */
  async send(sent: Sent): Promise<void> {
    for (let attempt = 0; !sent.answer; attempt++) {
      if (attempt > 0) this.resent++;
      const s = await this.connected();
      try {
        const ack = (await s.timeout(5_000).emitWithAck('command', sent.command)) as Ack<CommandAnswer>;
        if (ack.ok && ack.data) sent.answer = ack.data;
        else {
          this.refused++;
          await new Promise((r) => setTimeout(r, 50)); // INTERNAL / RATE_LIMITED: again
        }
      } catch {
        // No answer (the node died or the link broke): next node, same commandId.
        if (!s.connected && this.socket === s) {
          this.at++;
          this.moves++;
        }
      }
    }
  }

  close(): void {
    this.socket?.close();
  }
}

/** `total` reports at one point, each with its own commandId and case id. */
function reports(total: number, point: [number, number], tag: string): Sent[] {
  return Array.from({ length: total }, (_, i) => {
    const commandId = uuidv7();
    return {
      commandId,
      answer: null,
      command: {
        commandId,
        clientId: 'failover',
        type: 'report',
        payload: reportPayload(`${tag}${Date.now().toString(36)}${i}`, point),
        baseVersion: null,
        clientTime: Date.now(),
      },
    };
  });
}

/** Send a stream with up to 8 commands in flight, in order. */
async function pipeline(writer: FailoverClient, stream: Sent[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < stream.length) await writer.send(stream[next++]);
    }),
  );
}

/** No command with two events in the log, and the log has no gap. */
async function expectOneEventPerCommandNoGap(): Promise<void> {
  const doubled = await pool.query(
    "SELECT json::jsonb ->> 'commandId' AS id FROM events GROUP BY 1 HAVING count(*) > 1",
  );
  expect(doubled.rows).toEqual([]);
  const head = await pool.query<{ n: string; max: string }>(
    'SELECT count(*) AS n, max(seq) AS max FROM events',
  );
  expect(head.rows[0].n).toBe(head.rows[0].max);
}

/**
 * Every command accepted with exactly one stored answer equal to the client's, its events in
 * the log at the seqs the answer gave, no command with two events, no gap in the log.
 */
async function expectNothingLost(stream: Sent[]): Promise<void> {
  const total = stream.length;
  const stored = await pool.query<{ command_id: string; answer: string | null }>(
    'SELECT command_id, answer FROM commands WHERE command_id = ANY($1)',
    [stream.map((s) => s.commandId)],
  );
  expect(stored.rowCount).toBe(total);
  const byId = new Map(stored.rows.map((r) => [r.command_id, r.answer]));
  for (const s of stream) {
    expect(s.answer?.status, JSON.stringify(s.answer)).toBe('accepted');
    expect(JSON.parse(byId.get(s.commandId) ?? 'null')).toEqual(s.answer);
  }
  await expectOneEventPerCommandNoGap();
  for (const s of stream) {
    if (s.answer?.status !== 'accepted') continue;
    const logged = await pool.query<{ seq: string }>(
      "SELECT seq FROM events WHERE json::jsonb ->> 'commandId' = $1",
      [s.commandId],
    );
    expect(logged.rows.map((r) => Number(r.seq))).toEqual(s.answer.events.map((e) => e.seq));
  }
}

/** A village of the seeded store, its town and a point in it. */
async function someVillage(): Promise<{ townCode: string; villageCode: string; point: [number, number] }> {
  const r = await pool.query<{ town_code: string; village_code: string; json: string }>(
    'SELECT town_code, village_code, json FROM cases ORDER BY id LIMIT 1',
  );
  const located = JSON.parse(r.rows[0].json) as { lon: number; lat: number };
  return {
    townCode: r.rows[0].town_code,
    villageCode: r.rows[0].village_code,
    point: [located.lon, located.lat],
  };
}

beforeAll(async () => {
  if (!available) return;
  cluster = await startLocalCluster({ datasetDir: ensureSmallDataset(), nodes: 3, mode: 'process' });
  pool = new pg.Pool({ connectionString: cluster.pg.url, max: 2 });
  pool.on('error', () => undefined); // its idle connections die when PostgreSQL restarts
}, 300_000);

afterAll(async () => {
  await pool?.end();
  await cluster?.stop();
});

describe.skipIf(!available)('a node SIGKILLed mid-stream', () => {
  it('the console moves to the next node without logging in again; its outbox drains once and it converges', async () => {
    const [n1, n2, n3] = cluster.nodes;
    const { villageCode, point } = await someVillage();
    let link: SocketIoLink | null = null;
    const service = new DataService({
      dataDir: newConsoleDir(),
      secrets: testSecrets,
      serverUrl: n1.url,
      alternateServerUrls: [n2.url, n3.url],
      requestTimeoutMs: 5_000,
      retryDelayMs: 50,
      reconnectDelayMs: 50,
      linkFactory: (o) => (link = new SocketIoLink(o)),
    });
    const app: TestConsoleApp = { service, dataDir: '', link: null };
    try {
      const userId = `U-${villageCode}-operator`;
      const logged = await service.login(`${villageCode}.operator`, DEMO_PASSWORD);
      expect(logged.ok, JSON.stringify(!logged.ok && logged.error)).toBe(true);
      await settled(app, 60_000);
      const sessionsOf = async (): Promise<number> =>
        Number(
          (await pool.query<{ n: string }>('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [userId]))
            .rows[0].n,
        );
      expect(await sessionsOf()).toBe(1);
      const clientId = service.clientId;
      const stored = async (): Promise<number> =>
        Number(
          (
            await pool.query<{ n: string }>('SELECT count(*) AS n FROM commands WHERE client_id = $1', [
              clientId,
            ])
          ).rows[0].n,
        );
      const total = 40;
      const ids = Array.from({ length: total }, (_, i) => `CONS${Date.now().toString(36)}${i}`);
      for (const id of ids) expect(service.cases.queue('report', reportPayload(id, point)).ok).toBe(true);
      // SIGKILL node 1 while the outbox drains (some answered, not all).
      while ((await stored()) < 8) await new Promise((r) => setTimeout(r, 5));
      n1.child?.kill('SIGKILL');
      const storedAtKill = await stored();
      expect(storedAtKill).toBeLessThan(total);
      await settled(app, 90_000);
      expect(n1.child?.signalCode).toBe('SIGKILL');
      // On node 2, with the same session: no second login anywhere.
      expect((link as SocketIoLink | null)?.serverUrl).toBe(n2.url);
      expect(await sessionsOf()).toBe(1);
      // One stored answer per command, each accepted, one event per command, no gap in the log.
      const answers = await pool.query<{ command_id: string; answer: string }>(
        'SELECT command_id, answer FROM commands WHERE client_id = $1',
        [clientId],
      );
      expect(answers.rowCount).toBe(total);
      for (const r of answers.rows) expect((JSON.parse(r.answer) as CommandAnswer).status).toBe('accepted');
      await expectOneEventPerCommandNoGap();
      // Converged: the console's cases and watermark are the store's for its village.
      const cache = service.cacheStore;
      if (!cache) throw new Error('no cache');
      const server = await pool.query<{ id: string; json: string }>(
        'SELECT id, json FROM cases WHERE village_code = $1 ORDER BY id',
        [villageCode],
      );
      const cached = new Map(cache.listCases().map((c) => [c.id, c]));
      expect(cached.size).toBe(server.rowCount);
      for (const r of server.rows) expect(cached.get(r.id)).toEqual(JSON.parse(r.json));
      for (const id of ids) expect(cached.has(id)).toBe(true);
      const last = await pool.query<{ seq: string }>(
        'SELECT coalesce(max(seq), 0) AS seq FROM events WHERE village_code = $1',
        [villageCode],
      );
      expect(cache.watermark).toBe(Number(last.rows[0].seq));
    } finally {
      await service.close();
    }
  }, 240_000);

  it('loses nothing: one stored answer per command, no double event, no gap, the chain whole', async () => {
    const [, n2, n3] = cluster.nodes;
    const { townCode, villageCode, point } = await someVillage();
    const operator = `${villageCode}.operator`;
    // One login: the token is valid on every node.
    const writer = new FailoverClient(
      [n2.url, n3.url],
      await login(n2, operator),
      `kill-${uuidv7().slice(-8)}`,
    );
    const listener: TestConsole = await connectConsole(n3, await login(n3, `${townCode}.dispatcher`));
    const pushes: EventPush[] = [];
    listener.socket.on('event', (p: EventPush) => pushes.push(p));
    const before = Number(
      (
        await pool.query<{ seq: string }>(
          'SELECT coalesce(max(seq), 0) AS seq FROM events WHERE town_code = $1',
          [townCode],
        )
      ).rows[0].seq,
    );

    const total = 60;
    const stream = reports(total, point, 'KILL');
    let killed = false;
    const answered = (): number => stream.filter((s) => s.answer).length;
    const kill = (async () => {
      while (answered() < 20) await new Promise((r) => setTimeout(r, 5));
      n2.child?.kill('SIGKILL');
      killed = true;
    })();
    await pipeline(writer, stream);
    await kill;
    writer.close();
    expect(killed).toBe(true);
    expect(writer.moves).toBeGreaterThanOrEqual(1);
    // Commands were in flight on node 2 when it died: they were sent again to node 3.
    expect(writer.resent).toBeGreaterThanOrEqual(1);
    expect(n2.child?.signalCode).toBe('SIGKILL');

    await expectNothingLost(stream);

    // The town console on node 3: pushes (from both nodes, through Redis) + a catch-up reach the
    // town's last event; every event of the town once.
    const town = (
      await pool.query<{ seq: string }>(
        'SELECT seq FROM events WHERE town_code = $1 AND seq > $2 ORDER BY seq',
        [townCode, before],
      )
    ).rows.map((r) => Number(r.seq));
    expect(town).toHaveLength(total);
    let watermark = before;
    for (const p of pushes) if (p.prevSeq === watermark) watermark = p.event.seq;
    const seen = new Set(pushes.map((p) => p.event.seq));
    const page = await listener.request<CatchUpPage>('sync.catchUp', { after: watermark });
    for (const e of (page.data as { events: CaseEvent[] }).events) seen.add(e.seq);
    expect([...seen].filter((q) => q > before).sort((a, b) => a - b)).toEqual(town);
    listener.close();
  }, 120_000);

  it('PostgreSQL restarting: commands are refused to retry while it is down, then drain — nothing lost', async () => {
    const node = cluster.nodes[2];
    const { villageCode, point } = await someVillage();
    const writer = new FailoverClient(
      [node.url],
      await login(node, `${villageCode}.operator`),
      `pg-${uuidv7().slice(-8)}`,
    );
    const stream = reports(40, point, 'PGR');
    let outage = false;
    const restart = (async () => {
      while (stream.filter((x) => x.answer).length < 10) await new Promise((r) => setTimeout(r, 5));
      await cluster.pg.halt();
      const refusedBefore = writer.refused;
      // Down until the node has refused a command (nothing can commit meanwhile).
      while (writer.refused === refusedBefore) await new Promise((r) => setTimeout(r, 10));
      outage = true;
      await cluster.pg.resume();
    })();
    await pipeline(writer, stream);
    await restart;
    writer.close();
    expect(outage).toBe(true);
    expect(writer.refused).toBeGreaterThanOrEqual(1);
    await expectNothingLost(stream);
  }, 120_000);
});
