// The highest sustained command rate of a store, measured closed-loop: each client (a village
// operator's socket) keeps `depth` `report` commands in flight for `seconds`; the rate is what
// the server accepts when every client waits on it. Used by bench/cluster-commands.ts and by
// bench/server-load.ts --cluster
// (one SQLite server vs the PostgreSQL cluster, side by side in one run).
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../src-shared/protocol/messages';
import { uuidv7 } from '../src-shared/util/ids';

export interface RateClient {
  url: string;
  token: string;
  /** A point inside the operator's village. */
  point: [number, number];
}

export interface RateResult {
  accepted: number;
  rejected: number;
  failed: number;
  perSec: number;
  p50: number;
  p99: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN;
};

function open(c: RateClient, clientId: string): Promise<Socket> {
  const socket = io(c.url, {
    auth: { token: c.token, clientId, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((done, fail) => {
    socket.once('connect', () => done(socket));
    socket.once('connect_error', (e) => fail(new Error(`${clientId}: ${e.message}`)));
  });
}

export async function closedLoop(clients: RateClient[], depth: number, seconds: number): Promise<RateResult> {
  const sockets = await Promise.all(clients.map((c, i) => open(c, `rate-${i}-${uuidv7().slice(-8)}`)));
  const rtts: number[] = [];
  let accepted = 0;
  let rejected = 0;
  let failed = 0;
  let n = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    sockets.flatMap((s, i) =>
      Array.from({ length: depth }, async () => {
        while (performance.now() < end) {
          const sent = performance.now();
          const [lon, lat] = clients[i].point;
          try {
            const ack = (await s.timeout(30_000).emitWithAck('command', {
              commandId: uuidv7(),
              clientId: `rate-${i}`,
              type: 'report',
              payload: {
                caseId: `R${uuidv7().slice(-12)}${(n++).toString(36)}`,
                categoryCode: '01001',
                source: 'hotline',
                description: '消防通道被杂物堵塞',
                address: '压测地址',
                lon,
                lat,
                photos: [],
              },
              baseVersion: null,
              clientTime: Date.now(),
            })) as { ok: boolean; data?: { status?: string } };
            rtts.push(performance.now() - sent);
            if (ack.ok && ack.data?.status === 'accepted') accepted++;
            else rejected++;
          } catch {
            failed++;
          }
        }
      }),
    ),
  );
  const wall = (performance.now() - t0) / 1000;
  for (const s of sockets) s.close();
  return {
    accepted,
    rejected,
    failed,
    perSec: accepted / wall,
    p50: quantile(rtts, 0.5),
    p99: quantile(rtts, 0.99),
  };
}
