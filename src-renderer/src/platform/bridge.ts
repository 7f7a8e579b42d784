// The renderer's only door to the main side. In Electron the preload exposes
// `window.gridConsole`; in the web host the same contract runs over a WebSocket to /bridge
// (the session cookie set by the host authorises it). Over the WebSocket typed arrays arrive as
// tagged base64 and are decoded here, so callers get the same typed arrays as over Electron IPC.
import type {
  CallAnswer,
  CallArgs,
  CallName,
  CallResult,
  ConsoleBridge,
  EventName,
  EventPayload,
} from '../../../src-shared/ipc/contract';
import { isPreEncoded } from '../../../src-shared/ipc/contract';
import { decodeTypedJson } from '../../../src-shared/ipc/typed-json';

declare global {
  interface Window {
    gridConsole?: ConsoleBridge;
  }
}

type Pending = (answer: CallAnswer<unknown>) => void;

class WebSocketBridge implements ConsoleBridge {
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallAnswer<CallResult<K>>> {
    return this.open().then(
      (ws) =>
        new Promise<CallAnswer<CallResult<K>>>((resolve) => {
          const id = this.nextId++;
          this.pending.set(id, resolve as Pending);
          ws.send(JSON.stringify({ t: 'call', id, name, args }));
        }),
      (e: unknown) => ({
        ok: false as const,
        error: { code: 'HOST_UNREACHABLE', message: e instanceof Error ? e.message : String(e) },
      }),
    );
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    void this.open().catch(() => undefined);
    return () => set.delete(l);
  }

  private open(): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    this.opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`);
      ws.onopen = () => {
        this.ws = ws;
        this.opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        this.opening = null;
        reject(new Error('cannot reach the console host'));
      };
      ws.onclose = () => {
        this.ws = null;
        for (const [, p] of this.pending)
          p({ ok: false, error: { code: 'HOST_UNREACHABLE', message: 'connection closed' } });
        this.pending.clear();
      };
      ws.onmessage = (e: MessageEvent<string>) => this.receive(e.data);
    });
    return this.opening;
  }

  private receive(text: string): void {
    const msg = JSON.parse(text) as
      | { t: 'answer'; id: number; plain?: true; answer: CallAnswer<unknown> }
      | { t: 'event'; name: string; payload: unknown }
      | { t: 'error'; error: { code: string; message: string } };
    if (msg.t === 'answer') {
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      resolve?.(msg.plain ? msg.answer : (decodeTypedJson(msg.answer) as CallAnswer<unknown>));
    } else if (msg.t === 'event') {
      const listeners = this.listeners.get(msg.name);
      if (!listeners || listeners.size === 0) return;
      const payload = decodeTypedJson(msg.payload);
      for (const l of listeners) l(payload);
    }
  }
}

let instance: ConsoleBridge | null = null;

/** Electron's preload hands pre-encoded answers over as text: parse them here, once. */
function electronBridge(preload: ConsoleBridge): ConsoleBridge {
  return {
    call: (name, ...args) =>
      preload
        .call(name, ...args)
        .then((answer) =>
          answer.ok && isPreEncoded(answer.data)
            ? { ok: true as const, data: JSON.parse(answer.data.$json) as typeof answer.data }
            : answer,
        ),
    on: (name, listener) => preload.on(name, listener),
  };
}

export function bridge(): ConsoleBridge {
  instance ??= window.gridConsole ? electronBridge(window.gridConsole) : new WebSocketBridge();
  return instance;
}
