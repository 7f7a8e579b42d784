// The web host's WebSocket side: the IPC contract as `{t:'call', id, name, args}` →
// `{t:'answer', id, answer}` plus `{t:'event', name, payload}` pushes, over /bridge connections
// the host (web-host.ts) has already checked (token cookie, origin, Fetch-Metadata). It is its
// own module, loaded by the host right after it listens: the contract's schemas, the call router
// and `ws` are the bulk of the host's code, and the page's own files need none of them, so the
// page loads while this does (cold start, issue 19). Typed arrays (the map's columns) travel as
// tagged base64 (src-shared/ipc/typed-json.ts); the renderer's bridge turns them back.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  isPreEncoded,
  type ConsoleHandlers,
  type EventName,
  type EventPayload,
} from '../../src-shared/ipc/contract';
import { encodeTypedJson } from '../../src-shared/ipc/typed-json';
import { routeCall } from '../app/call-router';

const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
const SLOW_CALL_MS = 250;

/** Buffer's base64 runs in C++: ~6× the pure encoder on a city snapshot's columns. */
const nodeBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * The wire text of an answer or event: JSON with typed arrays as EncodedTypedArray. The walk
 * costs ≈ 7 % of JSON.stringify on a payload without typed arrays (a 78k-case list).
 */
export const wireJson = (message: Record<string, unknown>): string =>
  JSON.stringify(encodeTypedJson(message, nodeBase64));

interface WireCall {
  t: 'call';
  id: number;
  name: unknown;
  args: unknown;
}

export class BridgeSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });

  constructor(
    /** The console's service, or its promise while it loads: calls wait for it. */
    private readonly handlers: ConsoleHandlers | Promise<ConsoleHandlers>,
    private readonly log?: (line: string) => void,
  ) {}

  /** An upgrade the host has authorised: the connection becomes a bridge. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handleSocket(ws));
  }

  /** Push an event to every connected window. */
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const text = wireJson({ t: 'event', name, payload });
    for (const ws of this.wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  stop(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private handleSocket(ws: WebSocket): void {
    ws.on('message', (raw: Buffer, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let msg: WireCall;
      try {
        msg = JSON.parse(raw.toString('utf8')) as WireCall;
      } catch {
        ws.send(JSON.stringify({ t: 'error', error: { code: 'BAD_REQUEST', message: 'not JSON' } }));
        return;
      }
      if (msg?.t !== 'call' || !Number.isSafeInteger(msg.id)) {
        ws.send(
          JSON.stringify({
            t: 'error',
            error: { code: 'BAD_REQUEST', message: 'expected {t:"call", id, name, args}' },
          }),
        );
        return;
      }
      const t0 = performance.now();
      void Promise.resolve(this.handlers)
        .then((handlers) => routeCall(handlers, msg.name, msg.args))
        .then((answer) => {
          const ms = performance.now() - t0;
          if (ms > SLOW_CALL_MS) this.log?.(`slow call ${String(msg.name)}: ${Math.round(ms)} ms to answer`);
          if (ws.readyState !== ws.OPEN) return;
          // Text the worker already wrote is spliced in as it is; `plain` tells the bridge there
          // are no typed arrays to look for.
          if (answer.ok && isPreEncoded(answer.data))
            ws.send(
              `{"t":"answer","id":${msg.id},"plain":true,"answer":{"ok":true,"data":${answer.data.$json}}}`,
            );
          else ws.send(wireJson({ t: 'answer', id: msg.id, answer }));
        })
        .catch((e: unknown) => {
          // Only when the service itself could not be loaded: the router answers every refusal.
          if (ws.readyState !== ws.OPEN) return;
          const message = e instanceof Error ? e.message : String(e);
          ws.send(
            JSON.stringify({
              t: 'answer',
              id: msg.id,
              answer: { ok: false, error: { code: 'INTERNAL', message } },
            }),
          );
        });
    });
  }
}
