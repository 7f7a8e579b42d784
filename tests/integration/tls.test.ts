// TLS (issue 14 §9): the server serves HTTPS/WSS with a certificate made at test time; a console
// (the real data worker) trusting its CA file logs in, syncs, receives a live push and fetches a
// photo — every request over the same trust; a console with another CA (or none) refuses with
// SERVER_CERT_UNTRUSTED before sending anything, and a plain-HTTP client cannot talk to the port.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataClient } from '../../src-main/data/data-client';
import { createServerHttp } from '../../src-main/data/server-http';
import { SocketIoLink } from '../../src-main/data/server-link';
import type { SyncChange } from '../../src-main/data/sync-engine';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { renderScenePhoto } from '../../src-server/simulator/png';
import type { Command } from '../../src-shared/protocol/commands';
import { PROTOCOL_VERSION } from '../../src-shared/protocol/messages';
import { isPreEncoded, type ReferenceView } from '../../src-shared/ipc/contract';
import { uuidv7 } from '../../src-shared/util/ids';
import { pickArea, reportPayload } from '../support/fixtures';
import { ensureSmallDataset, REPO_ROOT } from '../support/datasets';
import { startTestServer, type TestServer } from '../support/server-client';
import { startServerProcess } from '../support/server-process';
import { makeTestPki, type TestPki } from '../support/tls-certs';

const WORKER = resolve(import.meta.dirname, '../../src-main/data/data-worker.ts');
let pki: TestPki;
let t: TestServer;
let area: ReturnType<typeof pickArea>;
const dirs: string[] = [];
const clients: DataClient[] = [];

function console_(caFile: string | undefined, changes: SyncChange[] = [], serverUrl = t.server.url) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gc-tls-console-'));
  dirs.push(dataDir);
  const client = new DataClient({
    dataDir,
    serverUrl,
    workerFile: WORKER,
    sessionKey: Buffer.alloc(32, 5).toString('base64'),
    secretKind: 'test-key',
    ...(caFile ? { caFile } : {}),
    onChange: (c) => changes.push(c),
  });
  clients.push(client);
  return client;
}

/** The refusal a call was answered with (the worker throws it as a CallError: code + message). */
async function refusalOf(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (e) {
    return { code: (e as { code?: string }).code ?? '', message: (e as Error).message };
  }
  throw new Error('the call was answered, not refused');
}

beforeAll(async () => {
  pki = makeTestPki();
  t = await startTestServer({ tls: { cert: pki.cert, key: pki.key } });
  area = pickArea(t.server, 1);
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await t?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  pki?.dispose();
});

describe('a console trusting the server’s CA', () => {
  it('logs in, syncs, receives a live push and fetches a photo over TLS', async () => {
    expect(t.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const changes: SyncChange[] = [];
    const client = console_(pki.caFile, changes);
    const login = await client.call('session.login', `${area.townCode}.dispatcher`, DEMO_PASSWORD);
    expect(login.seat?.scopeCode).toBe(area.townCode);
    await expect
      .poll(() => changes.some((c) => c.kind === 'connection' && c.state.status === 'online'), {
        timeout: 30_000,
      })
      .toBe(true);
    const encoded = await client.call('map.reference');
    if (!isPreEncoded(encoded)) throw new Error('the reference is answered pre-encoded');
    const ref = JSON.parse(encoded.$json) as ReferenceView;
    expect(ref.grids.length).toBeGreaterThan(10);
    expect(ref.grids.every((g) => g.townCode === area.townCode)).toBe(true);

    // Another seat reports a case with a photo in this town: the push arrives over WSS.
    const photo = t.server.photos.put(renderScenePhoto('TLS-1', 'before'), 'image/png', 'U-citizen');
    if (!photo.ok) throw new Error(photo.error.message);
    const answer = t.server.execute('U-citizen', 'tls-test', {
      commandId: uuidv7(),
      clientId: 'tls-test',
      type: 'report',
      payload: reportPayload('TLS-1', area.a.point, { source: 'citizen', photos: [photo.data.hash] }),
      baseVersion: null,
      clientTime: Date.now(),
    } as Command);
    expect(answer.status).toBe('accepted');
    await expect
      .poll(() => changes.some((c) => c.kind === 'cases' && c.ids.includes('TLS-1')), { timeout: 20_000 })
      .toBe(true);
    const detail = await client.call('cases.get', 'TLS-1');
    expect(detail.case?.photos).toEqual([photo.data.hash]);

    // The photo, the alert feed and the logout are HTTPS requests with the same trust.
    const got = await client.call('cases.photo', photo.data.hash);
    expect(got.mime).toBe('image/png');
    expect(Buffer.from(got.bytes).equals(renderScenePhoto('TLS-1', 'before'))).toBe(true);
    const feed = await client.call('alerts.list');
    expect(feed.stale).toBe(false);
    const sessions = t.server.seats.sessionCount();
    await client.call('session.logout', '');
    expect(t.server.seats.sessionCount()).toBe(sessions - 1);
  });

  it('the settings probe trusts the same CA file, and only it', async () => {
    const trusted = createServerHttp({ caFile: pki.caFile });
    const res = await trusted.fetch(`${t.server.url}/api/health`);
    expect(res.status).toBe(200);
    await res.body?.cancel();
    trusted.close();
    const other = createServerHttp({ caFile: pki.otherCaFile });
    await expect(other.fetch(`${t.server.url}/api/health`)).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    other.close();
  });
});

describe('a console that does not trust the certificate', () => {
  it('refuses to log in with a clear error, with another CA or with the system roots', async () => {
    const sessions = t.server.seats.sessionCount();
    for (const caFile of [pki.otherCaFile, undefined]) {
      const client = console_(caFile);
      const refusal = await refusalOf(
        client.call('session.login', `${area.townCode}.dispatcher`, DEMO_PASSWORD),
      );
      expect(refusal.code).toBe('SERVER_CERT_UNTRUSTED');
      expect(refusal.message).toContain('服务器证书不受信任');
      expect(refusal.message).toContain('certificate is not trusted');
    }
    // The password never reached the server: no session was opened.
    expect(t.server.seats.sessionCount()).toBe(sessions);
  });

  it('an unreadable CA file is said as such', async () => {
    const client = console_(join(pki.dir, 'no-such-ca.pem'));
    const refusal = await refusalOf(
      client.call('session.login', `${area.townCode}.dispatcher`, DEMO_PASSWORD),
    );
    expect(refusal.code).toBe('CA_FILE_UNREADABLE');
  });

  it('its socket.io link reports the refusal instead of connecting (the token is never sent)', async () => {
    const token = t.server.seats.issueToken(`U-${area.townCode}-dispatcher`).token;
    const outcomes: string[] = [];
    const link = (ca: string) =>
      new SocketIoLink({ serverUrl: t.server.url, token, clientId: `tls-${ca.length}`, tls: { ca } });
    const wrong = link(readFileSync(pki.otherCaFile, 'utf8'));
    wrong.connect({
      connected: () => outcomes.push('wrong:connected'),
      disconnected: () => undefined,
      refused: (code) => outcomes.push(`wrong:${code}`),
      push: () => undefined,
    });
    const right = link(readFileSync(pki.caFile, 'utf8'));
    right.connect({
      connected: () => outcomes.push('right:connected'),
      disconnected: () => undefined,
      refused: (code) => outcomes.push(`right:${code}`),
      push: () => undefined,
    });
    await expect
      .poll(() => outcomes.includes('wrong:SERVER_CERT_UNTRUSTED') && outcomes.includes('right:connected'), {
        timeout: 15_000,
      })
      .toBe(true);
    expect(outcomes).not.toContain('wrong:connected');
    wrong.close();
    right.close();
  });
});

describe('plain HTTP on the TLS port', () => {
  it('gets no answer: fetch, socket.io and a console configured with http:// all fail', async () => {
    const plain = t.server.url.replace('https://', 'http://');
    await expect(fetch(`${plain}/api/health`)).rejects.toThrow();
    const socket = io(plain, {
      auth: { token: 'x'.repeat(43), clientId: 'plain', protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const outcome = await new Promise<string>((done) => {
      socket.once('connect', () => done('connected'));
      socket.once('connect_error', (e) => done(`error: ${e.message}`));
    });
    socket.close();
    expect(outcome).toMatch(/^error:/);
    const client = console_(undefined, [], plain);
    const refusal = await refusalOf(
      client.call('session.login', `${area.townCode}.dispatcher`, DEMO_PASSWORD),
    );
    expect(refusal.code).toBe('SERVER_UNREACHABLE');
  });
});

describe('npm run server with --tls-cert/--tls-key', () => {
  it('serves HTTPS to a console trusting the CA, with the admin password from a file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gc-tls-cli-'));
    dirs.push(dataDir);
    writeFileSync(join(pki.dir, 'server.pem'), pki.cert);
    writeFileSync(join(pki.dir, 'admin-secret'), 'cli-admin-secret-2026\n', { mode: 0o600 });
    const p = await startServerProcess({
      dataDir,
      datasetDir: ensureSmallDataset(),
      args: [
        '--tls-cert',
        join(pki.dir, 'server.pem'),
        '--tls-key',
        join(pki.dir, 'server.key'),
        '--admin-password-file',
        join(pki.dir, 'admin-secret'),
      ],
    });
    const http = createServerHttp({ caFile: pki.caFile });
    try {
      expect(p.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const login = await http.fetch(`${p.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userName: 'admin', password: 'cli-admin-secret-2026' }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { data: { seat: { role: string } } }).data.seat.role).toBe('admin');
      // The given password is not printed, and no generated one was written.
      expect(p.output()).not.toContain('cli-admin-secret-2026');
      expect(() => readFileSync(join(dataDir, 'admin.password'))).toThrow();
    } finally {
      http.close();
      await p.stop();
    }
  });

  it('refuses a certificate without its key, with the usage', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', resolve(REPO_ROOT, 'scripts/server.ts'), '--tls-cert', join(pki.dir, 'server.pem')],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--tls-cert and --tls-key go together');
    expect(r.stderr).toContain('Usage: npm run server');
  });
});
