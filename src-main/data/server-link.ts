// The console's connection to the central dispatch server. The sync engine talks to this
// interface only, so tests can put a faulty link (dropped answers, cut connections) between a
// real engine and a real server without touching either.
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type ClientRequestName } from '../../src-shared/protocol/messages';
import { trustRefusal } from './server-http';

export interface AckEnvelope<T = unknown> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** A request either got an answer (which may itself be an error value) or failed in transit. */
export type LinkResult<T = unknown> =
  { kind: 'answer'; ack: AckEnvelope<T> } | { kind: 'lost'; reason: string };

export interface LinkHandlers {
  connected(): void;
  disconnected(reason: string): void;
  /** The server refused the connection (expired session, protocol mismatch): no automatic retry. */
  refused(code: string, message: string): void;
  push(name: string, payload: unknown): void;
}

export interface ServerLink {
  readonly connected: boolean;
  connect(handlers: LinkHandlers): void;
  request<T>(name: ClientRequestName, payload: unknown, timeoutMs: number): Promise<LinkResult<T>>;
  close(): void;
}

export interface SocketLinkOptions {
  serverUrl: string;
  /**
   * The other nodes of a cluster, in order (settings.servers after the one picked at start). With
   * them the link walks the list when its node is lost — a transport error or a disconnect this
   * console did not ask for — with the same token (sessions are shared by the nodes), and the
   * sync engine's outbox and watermark carry on unchanged. Without them: socket.io's own
   * reconnect to the one address (a load balancer in front of the nodes, or a single server).
   */
  alternateUrls?: readonly string[];
  token: string;
  clientId: string;
  /** First reconnect delay (doubles up to 20×, ±50 %); default 500 ms. Tests compress time with less. */
  reconnectDelayMs?: number;
  /** TLS trust for an https server: the settings' CA file (server-http.ts); system roots without. */
  tls?: { ca?: string };
}

export class SocketIoLink implements ServerLink {
  private socket: Socket | null = null;
  private readonly inFlight = new Set<(why: string) => void>();
  private readonly urls: readonly string[];
  /** Index of the node in `urls` the link is on (or trying). */
  private at = 0;
  /** Failed tries since the last connection (the backoff grows per round of the whole list). */
  private failures = 0;
  private walkTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: SocketLinkOptions) {
    this.urls = [
      options.serverUrl,
      ...(options.alternateUrls ?? []).filter((u, i, all) => u !== options.serverUrl && all.indexOf(u) === i),
    ];
  }

  /** The node the link is on or trying now. */
  get serverUrl(): string {
    return this.urls[this.at];
  }

  private get reconnectDelay(): number {
    return this.options.reconnectDelayMs ?? 500;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  connect(handlers: LinkHandlers): void {
    this.closed = false;
    if (this.urls.length > 1) this.open(handlers, false);
    else this.open(handlers, true);
  }

  /**
   * A socket to the current node. `reconnect`: socket.io's own reconnect to this one address;
   * otherwise a lost node is left for the next one of the list (walk()).
   */
  private open(handlers: LinkHandlers, reconnect: boolean): void {
    const socket = io(this.serverUrl, {
      auth: { token: this.options.token, clientId: this.options.clientId, protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnection: reconnect,
      forceNew: !reconnect,
      reconnectionDelay: this.reconnectDelay,
      reconnectionDelayMax: this.reconnectDelay * 20,
      randomizationFactor: 0.5,
      timeout: 10_000,
      ...(this.options.tls?.ca ? { ca: this.options.tls.ca } : {}),
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.failures = 0;
      handlers.connected();
    });
    socket.on('disconnect', (reason) => {
      handlers.disconnected(reason);
      if (!reconnect) {
        // Closed by this console (logout, stop) or not: only a lost node moves on. A session
        // ended by the server is refused by every node, which the next handshake reports.
        if (reason !== 'io client disconnect') this.walk(socket, handlers);
        return;
      }
      // socket.io does not reconnect after the server closed the socket itself — which is what
      // a server restart or shutdown does. For a console that is exactly when to come back.
      if (reason === 'io server disconnect') this.retryLater(socket);
    });
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => {
      // Middleware refusals are final until the operator acts; transport errors retry by themselves.
      const code = e.data?.code;
      // A refusal (a session the cluster no longer has, a protocol mismatch) is the cluster's
      // answer, not one node's: said once, no walk. UNAVAILABLE (the node cannot read its store)
      // and transport errors: the next node.
      const refusal = code !== undefined && code !== 'UNAVAILABLE';
      if (refusal && (!reconnect || !socket.active)) handlers.refused(code, e.message);
      // An untrusted certificate is said as such (the token was never sent: the handshake failed
      // first); the link keeps retrying, so a server that gets a proper certificate is found.
      const untrusted = trustRefusal(e);
      if (untrusted && !untrusted.ok) handlers.refused(untrusted.error.code, untrusted.error.message);
      if (!reconnect && !refusal) this.walk(socket, handlers);
      // Nor after a handshake the server answered with an error: UNAVAILABLE is worth another try.
      else if (reconnect && code === 'UNAVAILABLE') this.retryLater(socket);
    });
    socket.onAny((name: string, payload: unknown) => handlers.push(name, payload));
  }

  async request<T>(name: ClientRequestName, payload: unknown, timeoutMs: number): Promise<LinkResult<T>> {
    const socket = this.socket;
    if (!socket?.connected) return { kind: 'lost', reason: 'not connected' };
    // An answer cannot arrive over a later connection (acks belong to the socket that asked),
    // so a disconnect or close settles every request in flight at once instead of at its timeout.
    let settle: (r: LinkResult<T>) => void = () => undefined;
    const cut = new Promise<LinkResult<T>>((resolve) => (settle = resolve));
    const onCut = (why: string): void => settle({ kind: 'lost', reason: why });
    this.inFlight.add(onCut);
    socket.once('disconnect', onCut);
    try {
      return await Promise.race([
        socket
          .timeout(timeoutMs)
          .emitWithAck(name, payload)
          .then(
            (ack): LinkResult<T> => ({ kind: 'answer', ack: ack as AckEnvelope<T> }),
            (e: unknown): LinkResult<T> => ({
              kind: 'lost',
              reason: e instanceof Error ? e.message : String(e),
            }),
          ),
        cut,
      ]);
    } finally {
      this.inFlight.delete(onCut);
      socket.off('disconnect', onCut);
    }
  }

  /** Connect the one address's socket again after a randomised delay. */
  private retryLater(socket: Socket): void {
    const retry = setTimeout(
      () => {
        if (this.socket === socket && !socket.connected) socket.connect();
      },
      this.reconnectDelay * (0.6 + Math.random() * 1.4),
    );
    retry.unref?.();
  }

  /** Leave a lost node for the next of the list, after a backoff that grows with each round. */
  private walk(lost: Socket, handlers: LinkHandlers): void {
    if (this.closed || this.socket !== lost || this.walkTimer) return;
    lost.close();
    this.socket = null;
    this.failures++;
    this.at = (this.at + 1) % this.urls.length;
    // The first move to another node is quick; a whole round of lost nodes doubles the wait.
    const round = Math.floor((this.failures - 1) / this.urls.length);
    const delay = this.reconnectDelay * Math.min(20, 2 ** round) * (0.5 + Math.random());
    this.walkTimer = setTimeout(() => {
      this.walkTimer = null;
      if (!this.closed) this.open(handlers, false);
    }, delay);
    this.walkTimer.unref?.();
  }

  close(): void {
    this.closed = true;
    if (this.walkTimer) clearTimeout(this.walkTimer);
    this.walkTimer = null;
    this.socket?.close();
    this.socket = null;
    for (const onCut of [...this.inFlight]) onCut('link closed');
  }
}
