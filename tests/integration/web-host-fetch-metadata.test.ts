// The web host refuses requests that another origin makes a browser send (issue 14): Origin and
// Fetch-Metadata (Sec-Fetch-Site) are checked on every route — pages, assets, the token URL,
// /media and the WebSocket — while the user's own navigations and same-origin fetches pass.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const mediaCalls: string[] = [];

function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, path, headers: { host: url.host, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gc-host-fm-'));
  mkdirSync(join(dir, 'renderer/assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html><title>网格指挥台</title>');
  writeFileSync(join(dir, 'renderer/assets/app.js'), 'console.log(1)');
  host = new WebHost({
    rendererDir: join(dir, 'renderer'),
    handlers: consoleService({ host: 'web', version: '1', platform: 'test', data: null }),
    media: (cameraId, file) => {
      mediaCalls.push(`${cameraId}/${file}`);
      return Promise.resolve({
        ok: true,
        data: { status: 200, contentType: 'video/mp2t', contentRange: null, bytes: Buffer.from('TS-BYTES') },
      });
    },
  });
  await host.start();
  const res = await fetch(host.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
});

afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ROUTES = ['/', '/index.html', '/assets/app.js', '/media/live/CAM1/index.m3u8', '/nope.html'];

describe('web host Origin and Fetch-Metadata', () => {
  it('serves every route to its own page and to the user navigating', async () => {
    for (const path of ROUTES.slice(0, 4)) {
      for (const headers of <Record<string, string>[]>[
        { cookie },
        { cookie, 'sec-fetch-site': 'same-origin', origin: host.origin },
        { cookie, 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' },
      ]) {
        expect((await get(path, headers)).status, `${path} ${JSON.stringify(headers)}`).toBe(200);
      }
    }
    expect(mediaCalls.length).toBeGreaterThan(0);
  });

  it('refuses every route, /media included, to another site or origin even with the cookie', async () => {
    const other = host.origin.replace(/:\d+$/, ':1');
    const before = mediaCalls.length;
    for (const path of ROUTES) {
      for (const headers of <Record<string, string>[]>[
        { cookie, 'sec-fetch-site': 'cross-site' },
        // Another loopback port is the same *site*: still another origin.
        { cookie, 'sec-fetch-site': 'same-site' },
        { cookie, origin: 'https://evil.example' },
        { cookie, origin: other },
        { cookie, origin: 'null' },
      ]) {
        const res = await get(path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(res.body).not.toContain('网格指挥台');
        expect(res.body).not.toContain('TS-BYTES');
      }
    }
    // The media handler (which fetches with the seat's token) was never reached.
    expect(mediaCalls.length).toBe(before);
  });

  it('refuses the token URL from another site (no cookie is set for it)', async () => {
    const url = new URL(host.url);
    const res = await get(`/?token=${host.token}`, { 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    const ok = await get(`${url.pathname}${url.search}`, { 'sec-fetch-site': 'none' });
    expect(ok.status).toBe(303);
  });

  it('refuses a WebSocket whose Fetch-Metadata says cross-site', async () => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/bridge`, {
      headers: { cookie, origin: host.origin, 'sec-fetch-site': 'same-site' },
    });
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
    const good = new WebSocket(`${host.origin.replace('http', 'ws')}/bridge`, {
      headers: { cookie, origin: host.origin, 'sec-fetch-site': 'same-origin' },
    });
    const opened = await new Promise<string>((resolve) => {
      good.once('open', () => resolve('open'));
      good.once('error', () => resolve('refused'));
    });
    expect(opened).toBe('open');
    good.close();
  });
});
