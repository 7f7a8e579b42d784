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

  constructor(private readonly options: SocketLinkOptions) {}

  private get reconnectDelay(): number {
    return this.options.reconnectDelayMs ?? 500;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  connect(handlers: LinkHandlers): void {
    const socket = io(this.options.serverUrl, {
      auth: { token: this.options.token, clientId: this.options.clientId, protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: this.reconnectDelay,
      reconnectionDelayMax: this.reconnectDelay * 20,
      randomizationFactor: 0.5,
      timeout: 10_000,
      ...(this.options.tls?.ca ? { ca: this.options.tls.ca } : {}),
    });
    this.socket = socket;
    socket.on('connect', () => handlers.connected());
    socket.on('disconnect', (reason) => {
      handlers.disconnected(reason);
      // socket.io does not reconnect after the server closed the socket itself — which is what
      // a server restart or shutdown does. For a console that is exactly when to come back.
      if (reason === 'io server disconnect') {
        const retry = setTimeout(
          () => {
            if (this.socket === socket && !socket.connected) socket.connect();
          },
          this.reconnectDelay * (0.6 + Math.random() * 1.4),
        );
        retry.unref?.();
      }
    });
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => {
      // Middleware refusals are final until the operator acts; transport errors retry by themselves.
      const code = e.data?.code;
      if (code && !socket.active) handlers.refused(code, e.message);
      // An untrusted certificate is said as such (the token was never sent: the handshake failed
      // first); socket.io keeps retrying, so a server that gets a proper certificate is found.
      const untrusted = trustRefusal(e);
      if (untrusted && !untrusted.ok) handlers.refused(untrusted.error.code, untrusted.error.message);
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

  close(): void {
    this.socket?.close();
    this.socket = null;
    for (const onCut of [...this.inFlight]) onCut('link closed');
  }
}
