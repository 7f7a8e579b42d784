// A test's view of the dispatch server: start one on a random loopback port with a fresh data
// dir, log seats in over HTTP, and talk socket.io like a console does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/messages';
import { uuidv7 } from '../../src-shared/util/ids';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import {
  startDispatchServer,
  type DispatchServer,
  type DispatchServerOptions,
} from '../../src-server/server';
import { ensureSmallDataset } from './datasets';

export interface TestServer {
  server: DispatchServer;
  dataDir: string;
  restart(): Promise<DispatchServer>;
  /** Take the server down (consoles see it vanish) and bring it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<DispatchServer>;
  dispose(): Promise<void>;
}

export async function startTestServer(extra: Partial<DispatchServerOptions> = {}): Promise<TestServer> {
  const datasetDir = ensureSmallDataset();
  const dataDir = mkdtempSync(join(tmpdir(), 'gc-server-'));
  const opts: DispatchServerOptions = { dataDir, datasetDir, port: 0, log: () => undefined, ...extra };
  const t: TestServer = {
    server: await startDispatchServer(opts),
    dataDir,
    /** Stop and start again on the same port and data dir, as a real server restart would. */
    async restart() {
      const port = t.server.port;
      await t.server.close();
      t.server = await startDispatchServer({ ...opts, port });
      return t.server;
    },
    async stop() {
      await t.server.close();
    },
    async start() {
      t.server = await startDispatchServer({ ...opts, port: t.server.port });
      return t.server;
    },
    async dispose() {
      await t.server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** The admin seat's own password, generated at the store's first start (auth/operator-secrets.ts). */
export function adminPassword(t: Pick<TestServer, 'dataDir'>): string {
  return readFileSync(join(t.dataDir, 'admin.password'), 'utf8').trim();
}

export async function login(
  server: Pick<DispatchServer, 'url'>,
  userName: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const res = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName, password }),
  });
  const body = (await res.json()) as { ok: boolean; data?: { token: string }; error?: { message: string } };
  if (!body.ok || !body.data) throw new Error(`login ${userName} failed: ${body.error?.message}`);
  return body.data.token;
}

export interface Ack<T = unknown> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface TestConsole {
  socket: Socket;
  clientId: string;
  request<T = unknown>(name: string, ...args: unknown[]): Promise<Ack<T>>;
  command<T = unknown>(
    type: string,
    payload: Record<string, unknown>,
    baseVersion?: number | null,
    commandId?: string,
  ): Promise<Ack<T>>;
  close(): void;
}

export async function connectConsole(
  server: Pick<DispatchServer, 'url'>,
  token: string,
  clientId = `test-${uuidv7().slice(-12)}`,
): Promise<TestConsole> {
  const socket = io(server.url, {
    auth: { token, clientId, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
  const request = <T>(name: string, ...args: unknown[]): Promise<Ack<T>> =>
    socket.timeout(10_000).emitWithAck(name, ...args) as Promise<Ack<T>>;
  return {
    socket,
    clientId,
    request,
    command: (type, payload, baseVersion = null, commandId = uuidv7()) =>
      request('command', { commandId, clientId, type, payload, baseVersion, clientTime: Date.now() }),
    close: () => socket.close(),
  };
}
