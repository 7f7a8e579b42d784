// A ServerLink that misbehaves on purpose, between a real sync engine and a real server: it can
// lose a request before it is sent, lose the answer after the server committed it, and cut the
// connection (socket.io reconnects by itself, like a flaky village link).
import {
  SocketIoLink,
  type LinkHandlers,
  type LinkResult,
  type ServerLink,
  type SocketLinkOptions,
} from '../../src-main/data/server-link';
import type { ClientRequestName } from '../../src-shared/protocol/messages';

export interface Faults {
  /** Probability that a request never reaches the server. */
  loseRequest: number;
  /** Probability that the server handles a request but its answer is lost. */
  loseAnswer: number;
  /** Probability that losing an answer also cuts the connection. */
  cutOnLoss: number;
}

export const NO_FAULTS: Faults = { loseRequest: 0, loseAnswer: 0, cutOnLoss: 0 };

export class FaultyLink implements ServerLink {
  private readonly inner: SocketIoLink;
  faults: Faults = NO_FAULTS;
  /** While true, commands never reach the server (lost); everything else passes. */
  holdCommands = false;
  /** Commands whose answer was dropped after the server had it. */
  readonly lostAnswers: string[] = [];
  private handlers: LinkHandlers | null = null;
  private down = false;

  constructor(
    options: SocketLinkOptions,
    private readonly random: () => number,
  ) {
    this.inner = new SocketIoLink(options);
  }

  get connected(): boolean {
    return !this.down && this.inner.connected;
  }

  get isDown(): boolean {
    return this.down;
  }

  get socketConnected(): boolean {
    return this.inner.connected;
  }

  connect(handlers: LinkHandlers): void {
    this.handlers = handlers;
    this.inner.connect({
      connected: () => {
        if (!this.down) handlers.connected();
      },
      disconnected: (r) => handlers.disconnected(r),
      refused: (c, m) => handlers.refused(c, m),
      push: (n, p) => {
        if (!this.down) handlers.push(n, p);
      },
    });
  }

  async request<T>(name: ClientRequestName, payload: unknown, timeoutMs: number): Promise<LinkResult<T>> {
    if (this.down) return { kind: 'lost', reason: 'link down (injected)' };
    if (this.holdCommands && name === 'command') return { kind: 'lost', reason: 'command held (injected)' };
    if (this.random() < this.faults.loseRequest) return { kind: 'lost', reason: 'request lost (injected)' };
    const result = await this.inner.request<T>(name, payload, timeoutMs);
    if (result.kind === 'answer' && this.random() < this.faults.loseAnswer) {
      if (name === 'command') this.lostAnswers.push((payload as { commandId: string }).commandId);
      if (this.random() < this.faults.cutOnLoss) this.cut();
      return { kind: 'lost', reason: 'answer lost after the server committed (injected)' };
    }
    return result;
  }

  /** Drop the connection; it comes back with `restore` (or by itself after `ms`). */
  cut(ms?: number): void {
    if (this.down) return;
    this.down = true;
    this.handlers?.disconnected('cut (injected)');
    if (ms !== undefined) setTimeout(() => this.restore(), ms).unref();
  }

  restore(): void {
    if (!this.down) return;
    this.down = false;
    if (this.inner.connected) this.handlers?.connected();
    // Otherwise socket.io's own reconnect calls connected() when it is back.
  }

  close(): void {
    this.inner.close();
  }
}
