// The web host against a real loopback port: token and cookie, DNS-rebinding and traversal
// guards, and the IPC contract over the WebSocket with bad input refused as values.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { consoleService } from '../../src-main/app/console-service';
import { WebHost } from '../../src-main/host/web-host';

let dir: string;
let host: WebHost;
let cookie: string;

function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/bridge`, {
    headers: { cookie, origin: host.origin },
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(
  ws: WebSocket,
  id: number,
  name: unknown,
  args: unknown,
): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer): void => {
      const msg = JSON.parse(raw.toString('utf8')) as { t: string; id: number; answer: never };
      if (msg.t === 'answer' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg.answer);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'call', id, name, args }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gc-host-'));
  mkdirSync(join(dir, 'renderer/assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html><title>网格指挥台</title>');
  writeFileSync(join(dir, 'renderer/assets/app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  host = new WebHost({
    rendererDir: join(dir, 'renderer'),
    handlers: consoleService({ host: 'web', version: '9.9.9', platform: 'test', data: null }),
  });
  await host.start();
  const res = await fetch(host.url, { redirect: 'manual' });
  expect(res.status).toBe(303);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  expect(cookie).toMatch(/^gc_session=[0-9a-f]{48}$/);
});

afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('web host', () => {
  it('binds to loopback only and uses a fresh token each start', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.token).toMatch(/^[0-9a-f]{48}$/);
    expect(
      new WebHost({
        rendererDir: dir,
        handlers: consoleService({ host: 'web', version: '0', platform: 'x', data: null }),
      }).token,
    ).not.toBe(host.token);
  });

  it('serves files only with the session cookie, with security headers', async () => {
    expect((await rawGet('/')).status).toBe(401);
    const res = await fetch(host.origin + '/', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('网格指挥台');
    expect(res.headers.get('content-security-policy')).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await fetch(host.origin + '/assets/app.js', { headers: { cookie } });
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses a foreign Host header (DNS rebinding) and path traversal', async () => {
    const port = new URL(host.origin).port;
    expect((await rawGet('/', { cookie, host: `evil.example:${port}` })).status).toBe(421);
    expect((await rawGet('/../secret.txt', { cookie, host: `127.0.0.1:${port}` })).status).not.toBe(200);
    const encoded = await rawGet('/%2e%2e/secret.txt', { cookie, host: `127.0.0.1:${port}` });
    // WHATWG URL parsing folds %2e%2e into the root, so it cannot climb out: never a 200.
    expect([403, 404]).toContain(encoded.status);
    expect(encoded.body).not.toContain('do not serve');
    expect((await rawGet('/nope.html', { cookie, host: `127.0.0.1:${port}` })).status).toBe(404);
  });

  it('refuses a WebSocket without cookie or from another origin', async () => {
    for (const headers of [{ origin: host.origin }, { cookie, origin: 'http://evil.example' }]) {
      const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/bridge`, { headers });
      const outcome = await new Promise<string>((resolve) => {
        ws.once('open', () => resolve('open'));
        ws.once('error', () => resolve('refused'));
      });
      expect(outcome).toBe('refused');
    }
  });

  it('answers contract calls and refuses unknown calls and bad arguments as values', async () => {
    const ws = await connect();
    const info = await call(ws, 1, 'app.info', []);
    expect(info).toMatchObject({
      ok: true,
      data: { host: 'web', version: '9.9.9', timeZone: 'Asia/Shanghai' },
    });
    expect(await call(ws, 2, 'app.ping', ['网格'])).toEqual({ ok: true, data: 'pong:网格' });
    expect((await call(ws, 3, 'fs.readFile', ['/etc/passwd'])).error?.code).toBe('UNKNOWN_CALL');
    expect((await call(ws, 4, 'app.ping', [42])).error?.code).toBe('BAD_REQUEST');
    expect((await call(ws, 5, 'app.ping', ['x'.repeat(65)])).error?.code).toBe('BAD_REQUEST');
    expect((await call(ws, 6, '__proto__', [])).error?.code).toBe('UNKNOWN_CALL');
    // Garbage frames get an error and the socket stays usable.
    ws.send('{not json');
    expect(await call(ws, 7, 'app.ping', ['still'])).toEqual({ ok: true, data: 'pong:still' });
    ws.close();
  });
});
