// socket.io wiring: handshake authentication, one validated handler per client request, the
// ack envelope, rate limiting, scope rooms, and the live pushes. Nothing a client sends can
// crash the server or reach a handler unvalidated; every failure is answered as a value.
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { CaseEvent } from '../../src-shared/protocol/entities';
import {
  CLIENT_REQUESTS,
  Handshake,
  MAX_FRAME_BYTES,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ClientRequestName,
} from '../../src-shared/protocol/messages';
import { parseWith } from '../../src-shared/protocol/validate';
import type { AppError, Result } from '../../src-shared/util/result';
import type { SessionStore } from '../auth/session-store';
import type { User } from '../auth/seats';
import { TokenBucket } from './rate-limit';

export interface SocketData {
  user: User;
  tokenHash: string;
  expiresAt: number;
  clientId: string;
  bucket: TokenBucket;
}

export type GatewaySocket = Socket<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  SocketData
>;

/** A request handler: gets the validated payload, returns a Result (sync or async). */
export type RequestHandler<K extends ClientRequestName> = (
  ctx: { user: User; clientId: string },
  payload: z.infer<(typeof CLIENT_REQUESTS)[K]>,
) => Result<unknown> | Promise<Result<unknown>>;

export type RequestHandlers = { [K in ClientRequestName]: RequestHandler<K> };

export interface GatewayOptions {
  /** Sessions (SQLite, or PostgreSQL on a cluster node: a token of any node is accepted). */
  sessions: SessionStore;
  handlers: RequestHandlers;
  /** Scope rooms a user joins: its own scope code (and officer:<id> for field officers). */
  cityCode: string;
  /** True when the user may join its scope room (see auth/visibility readsScopeFeed). */
  readsScopeFeed(user: User): boolean;
  ratePerSec?: number;
  burst?: number;
  /** The server's clock (sessions expire on it). */
  now?: () => number;
  /** How often open sockets are checked for expired sessions (default 30 s). */
  sweepMs?: number;
}

export const scopeRoom = (code: string): string => `scope:${code}`;
export const officerRoom = (officerId: string): string => `officer:${officerId}`;
/** Rooms a session's sockets are in, so a revocation reaches them on every node (the adapter). */
export const sessionRoom = (tokenHash: string): string => `session:${tokenHash}`;
export const seatRoom = (userId: string): string => `seat:${userId}`;

/** Size of a payload as JSON; binary attachments are refused by the schemas anyway. */
function payloadBytes(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY; // cyclic or otherwise unserialisable
  }
}

const ENDED = {
  SESSION_ENDED: { code: 'SESSION_ENDED', message: 'the session has ended' },
  SESSION_EXPIRED: { code: 'SESSION_EXPIRED', message: 'the session has expired: log in again' },
} as const;

const fail = (code: string, message: string): { ok: false; error: AppError } => ({
  ok: false,
  error: { code, message },
});

export class SocketGateway {
  readonly io: Server;
  private readonly stats = { requests: 0, rejected: 0 };

  constructor(
    http: HttpServer | HttpsServer,
    private readonly options: GatewayOptions,
  ) {
    this.io = new Server(http, {
      maxHttpBufferSize: MAX_FRAME_BYTES,
      // Off: per-socket deflate state costs ~200 KB × 10,000 phones and queues small replies
      // behind large frames (bench/server-load). Big pages are gzip-packed by the application.
      perMessageDeflate: false,
      serveClient: false,
      pingInterval: 10_000,
      pingTimeout: 8_000,
      cors: { origin: false },
    });
    this.io.use((socket, next) => {
      const parsed = Handshake.safeParse(socket.handshake.auth);
      if (!parsed.success)
        return next(
          Object.assign(new Error('BAD_HANDSHAKE: expected {token, clientId, protocolVersion}'), {
            data: { code: 'BAD_REQUEST' },
          }),
        );
      if (parsed.data.protocolVersion !== PROTOCOL_VERSION) {
        return next(
          Object.assign(
            new Error(
              `PROTOCOL_MISMATCH: server speaks ${PROTOCOL_VERSION}, client ${parsed.data.protocolVersion}`,
            ),
            {
              data: { code: 'PROTOCOL_MISMATCH' },
            },
          ),
        );
      }
      const { token, clientId } = parsed.data;
      options.sessions.session(token).then(
        (session) => {
          if (!session)
            return next(
              Object.assign(new Error('UNAUTHORIZED: unknown or expired token'), {
                data: { code: 'UNAUTHORIZED' },
              }),
            );
          const data = socket.data as SocketData;
          data.user = session.user;
          data.tokenHash = session.tokenHash;
          data.expiresAt = session.expiresAt;
          data.clientId = clientId;
          data.bucket = new TokenBucket(options.ratePerSec ?? 50, options.burst ?? 200);
          next();
        },
        // The session store unreachable (PostgreSQL restarting): refused, the console retries.
        (e: unknown) =>
          next(
            Object.assign(
              new Error(
                `UNAVAILABLE: sessions cannot be read (${e instanceof Error ? e.message : String(e)})`,
              ),
              { data: { code: 'UNAVAILABLE' } },
            ),
          ),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket as unknown as GatewaySocket));
    // A session that ends (logout, password change) takes its open sockets with it — on every
    // node: a room operation, which the adapter (Redis on a cluster) carries to all of them.
    options.sessions.onRevoke((r) => {
      const room = 'tokenHash' in r ? sessionRoom(r.tokenHash) : seatRoom(r.userId);
      this.io.in(room).emit('session.ended', ENDED.SESSION_ENDED);
      this.io.in(room).disconnectSockets(true);
    });
    this.sweepTimer = setInterval(() => void this.sweep().catch(() => undefined), options.sweepMs ?? 30_000);
    this.sweepTimer.unref();
  }

  private readonly sweepTimer: NodeJS.Timeout;

  private get clock(): number {
    return (this.options.now ?? Date.now)();
  }

  private sockets(): GatewaySocket[] {
    const byId = this.io.of('/').sockets as unknown as Map<string, GatewaySocket>;
    return [...byId.values()];
  }

  /**
   * Close this node's sockets of expired sessions and of sessions the store no longer has (a
   * revocation whose fan-out was lost with Redis), then purge the expired sessions; returns the
   * sockets closed.
   */
  async sweep(): Promise<number> {
    let closed = 0;
    const now = this.clock;
    const open: GatewaySocket[] = [];
    for (const s of this.sockets()) {
      if (s.data.expiresAt <= now) {
        this.endSession(s, 'SESSION_EXPIRED');
        closed++;
      } else open.push(s);
    }
    const live = await this.options.sessions.liveOf([...new Set(open.map((s) => s.data.tokenHash))]);
    for (const s of open) {
      if (!live.has(s.data.tokenHash) && s.connected) {
        this.endSession(s, 'SESSION_ENDED');
        closed++;
      }
    }
    await this.options.sessions.purgeExpired();
    return closed;
  }

  private endSession(socket: GatewaySocket, code: keyof typeof ENDED): void {
    (socket as unknown as Socket).emit('session.ended', ENDED[code]);
    socket.disconnect(true);
  }

  get counters(): { requests: number; rejected: number; connections: number } {
    return { ...this.stats, connections: this.io.engine.clientsCount };
  }

  private onConnection(socket: GatewaySocket): void {
    const { user } = socket.data;
    // Scope rooms carry every event and position of the scope: only for those who read the
    // scope's feed. Department handlers, the mobile squad and the citizen app get no scope pushes
    // (they catch up on their personal, filtered feed and are told of what is addressed to them).
    if (this.options.readsScopeFeed(user)) void socket.join(scopeRoom(user.scopeCode));
    if (user.officerId) void socket.join(officerRoom(user.officerId));
    void socket.join([sessionRoom(socket.data.tokenHash), seatRoom(user.id)]);

    socket.onAny((name: unknown, ...args: unknown[]) => {
      const ack =
        args.length > 0 && typeof args[args.length - 1] === 'function'
          ? (args.pop() as (r: unknown) => void)
          : null;
      this.stats.requests++;
      const answer = (r: Result<unknown>): void => {
        if (!r.ok) this.stats.rejected++;
        ack?.(r);
      };
      if (socket.data.expiresAt <= this.clock) {
        answer(fail('UNAUTHORIZED', 'the session has expired: log in again'));
        this.endSession(socket, 'SESSION_EXPIRED');
        return;
      }
      if (!socket.data.bucket.take())
        return answer(fail('RATE_LIMITED', 'too many messages: slow down and retry'));
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(CLIENT_REQUESTS, name)) {
        return answer(fail('UNKNOWN_MESSAGE', `unknown message: ${String(name).slice(0, 64)}`));
      }
      if (!ack && name !== 'telemetry.report') {
        // Every request but telemetry needs an ack to carry its answer.
        return;
      }
      const key = name as ClientRequestName;
      if (args.length !== 1) return answer(fail('BAD_REQUEST', `${key} takes exactly one payload argument`));
      const size = payloadBytes(args[0]);
      if (size > MAX_MESSAGE_BYTES) {
        return answer(
          fail(
            'PAYLOAD_TOO_LARGE',
            `${key} payload of ${size} bytes exceeds the limit of ${MAX_MESSAGE_BYTES}`,
          ),
        );
      }
      const parsed = parseWith(CLIENT_REQUESTS[key], args[0], key);
      if (!parsed.ok) return answer(parsed);
      const handler = this.options.handlers[key] as RequestHandler<typeof key>;
      try {
        const out = handler({ user, clientId: socket.data.clientId }, parsed.data);
        if (out instanceof Promise) {
          out.then(answer, (e: unknown) =>
            answer(fail('INTERNAL', e instanceof Error ? e.message : String(e))),
          );
        } else answer(out);
      } catch (e) {
        answer(fail('INTERNAL', e instanceof Error ? e.message : String(e)));
      }
    });
  }

  /** Live pushes after a commit: each scope room gets the event with its own previous seq. */
  publish(committed: readonly { event: CaseEvent; prev: Map<string, number> }[]): void {
    for (const { event, prev } of committed) {
      for (const [code, prevSeq] of prev) this.io.to(scopeRoom(code)).emit('event', { prevSeq, event });
    }
  }

  /** Telemetry: volatile (may be dropped under load), latest value wins on the receiver. */
  pushTelemetry(code: string, batch: unknown): void {
    this.io.to(scopeRoom(code)).volatile.emit('telemetry.batch', batch);
  }

  /** Notify a field officer (their phone) of something addressed to them. */
  notifyOfficer(officerId: string, name: string, payload: unknown): void {
    this.io.to(officerRoom(officerId)).emit(name, payload);
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.io.emit('server.shutdown', { at: Date.now() });
    await this.io.close();
  }
}
