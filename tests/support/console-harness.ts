// Consoles for integration tests: a real DataService with its own data dir (real SQLite files)
// against a real server, optionally behind a FaultyLink.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataService } from '../../src-main/data/data-service';
import { aesSecretBox } from '../../src-main/data/secret-box';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import type { DispatchServer } from '../../src-server/server';
import { FaultyLink } from './faulty-link';

export interface TestConsoleApp {
  service: DataService;
  dataDir: string;
  link: FaultyLink | null;
}

/** The session key of every test console (a real AES-GCM box, a fixed key). */
export const testSecrets = aesSecretBox(Buffer.alloc(32, 7), 'test-key');

export function newConsoleDir(prefix = 'gc-console-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function openConsole(server: { url: string }, dataDir: string, random?: () => number): TestConsoleApp {
  let link: FaultyLink | null = null;
  const service = new DataService({
    dataDir,
    secrets: testSecrets,
    serverUrl: server.url,
    requestTimeoutMs: 5_000,
    retryDelayMs: 50,
    reconnectDelayMs: 50,
    linkFactory: random
      ? (o) => {
          link = new FaultyLink(o, random);
          return link;
        }
      : undefined,
  });
  return {
    service,
    dataDir,
    get link() {
      return link;
    },
  };
}

export async function loginConsole(
  server: Pick<DispatchServer, 'url'>,
  userName: string,
  dataDir = newConsoleDir(),
  random?: () => number,
): Promise<TestConsoleApp> {
  const app = openConsole(server, dataDir, random);
  const r = await app.service.login(userName, DEMO_PASSWORD);
  if (!r.ok) throw new Error(`login ${userName}: ${r.error.message}`);
  return app;
}

/** Wait until the console is online with an empty queue and no round running. */
export async function settled(app: TestConsoleApp, timeoutMs = 15_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const engine = app.service.syncEngine;
    const c = engine?.connection;
    if (engine && c && c.status === 'online' && c.queueLength === 0) {
      await engine.idle();
      if (engine.connection.status === 'online' && engine.connection.queueLength === 0) return;
    }
    if (Date.now() - t0 > timeoutMs) {
      const link = app.link;
      throw new Error(
        `console ${app.service.currentSeat?.userName} not settled after ${timeoutMs} ms: ${JSON.stringify(c)}; ` +
          `link ${link ? `down=${String(link.isDown)} socket=${String(link.socketConnected)}` : 'plain'}; stats ${JSON.stringify(engine?.stats)}; trail ${engine?.trail.join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
