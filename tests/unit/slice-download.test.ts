// The ETag-cached slice download behind the places and the briefing stores
// (src-main/data/slice-download.ts): a real HTTP server on a loopback port, the console's own
// HTTP client, real files in a temporary seat directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createServerHttp } from '../../src-main/data/server-http';
import { SliceDownload } from '../../src-main/data/slice-download';

/** The test's "slice": a JSON list of names, refused unless it is one. */
const decode = (bytes: Uint8Array): string[] => {
  const v = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  if (!Array.isArray(v)) throw new Error('not a list');
  return v as string[];
};

interface FakeServer {
  url: string;
  /** What the server sends now: the (normally gzipped) body and its ETag. */
  content: { body: Buffer; etag: string };
  requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

const slice = (names: string[], etag: string) => ({ body: gzipSync(JSON.stringify(names)), etag });

async function fakeServer(): Promise<FakeServer> {
  const state: FakeServer = {
    url: '',
    content: slice(['a'], '"v1"'),
    requests: [],
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    state.requests.push(req.headers);
    if (req.headers.authorization !== 'Bearer tok') {
      res.writeHead(401).end();
      return;
    }
    if (req.headers['if-none-match'] === state.content.etag) {
      res.writeHead(304, { etag: state.content.etag }).end();
      return;
    }
    res.writeHead(200, { etag: state.content.etag, 'content-type': 'application/octet-stream' });
    res.end(state.content.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((done) => server.close(() => done()));
  return state;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{
  server: FakeServer;
  dir: string;
  open: (scope?: string, token?: string) => SliceDownload<string[], 'scopeCode'>;
  now: { t: number };
  log: string[];
}> {
  const server = await fakeServer();
  const http = createServerHttp();
  const dir = mkdtempSync(join(tmpdir(), 'gc-slice-'));
  cleanups.push(
    () => server.close(),
    () => http.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const now = { t: 1_000 };
  const log: string[] = [];
  const open = (scope = '441900003', token = 'tok') =>
    new SliceDownload({
      label: 'places',
      dir,
      name: 'places',
      url: `${server.url}/api/places`,
      fetch: http.fetch,
      token,
      scopeField: 'scopeCode',
      scope,
      now: () => now.t,
      timeoutMs: 5_000,
      log: (line) => log.push(line),
      decode,
    });
  return { server, dir, open, now, log };
}

describe('SliceDownload', () => {
  it('downloads, keeps the body and its marker, and is confirmed by a 304 the next session', async () => {
    const { server, dir, open, now } = await setup();
    const first = open();
    expect(first.stored()).toBeNull();
    expect(first.checked).toBe(false);
    expect(await first.refresh()).toBe('updated');
    expect(server.requests[0]['if-none-match']).toBeUndefined();
    expect(first.checked).toBe(true);
    const held = first.stored();
    expect(held).toMatchObject({ slice: ['a'], confirmed: true });
    expect(first.stored()).toBe(held); // the same object until a refresh changes it
    expect(readFileSync(join(dir, 'places.bin'))).toEqual(server.content.body);
    expect(JSON.parse(readFileSync(join(dir, 'places.json'), 'utf8'))).toEqual({
      etag: '"v1"',
      scopeCode: '441900003',
      checkedAt: 1_000,
      bytes: server.content.body.length,
    });

    // A new session: the stored copy is there before asking, not yet confirmed.
    now.t = 5_000;
    const second = open();
    expect(second.stored()).toMatchObject({ slice: ['a'], confirmed: false, marker: { checkedAt: 1_000 } });
    expect(await second.refresh()).toBe('unchanged');
    expect(server.requests[1]['if-none-match']).toBe('"v1"');
    expect(second.checked).toBe(true);
    expect(second.stored()).toMatchObject({ slice: ['a'], confirmed: true, marker: { checkedAt: 5_000 } });
    expect(JSON.parse(readFileSync(join(dir, 'places.json'), 'utf8'))).toMatchObject({ checkedAt: 5_000 });

    // The server's copy changed: the new one replaces it.
    server.content = slice(['a', 'b'], '"v2"');
    expect(await second.refresh()).toBe('updated');
    expect(second.stored()).toMatchObject({ slice: ['a', 'b'], marker: { etag: '"v2"' } });
  });

  it('works offline from the stored copy, and refuses a copy of another scope or of the wrong size', async () => {
    const { server, dir, open, log } = await setup();
    expect(await open().refresh()).toBe('updated');
    await server.close();
    const offline = open();
    expect(await offline.refresh()).toBe('failed');
    expect(offline.checked).toBe(false);
    expect(log.some((l) => l.startsWith('places: server not reachable'))).toBe(true);
    expect(offline.stored()).toMatchObject({ slice: ['a'], confirmed: false });

    expect(open('441900004').stored()).toBeNull(); // another seat scope: not this seat's copy

    writeFileSync(
      join(dir, 'places.bin'),
      Buffer.concat([readFileSync(join(dir, 'places.bin')), Buffer.from('x')]),
    );
    expect(open().stored()).toBeNull(); // the marker does not vouch for this file
  });

  it('asks for the body when the marker is there but the file is not', async () => {
    const { server, dir, open } = await setup();
    expect(await open().refresh()).toBe('updated');
    rmSync(join(dir, 'places.bin'));
    const store = open();
    expect(await store.refresh()).toBe('updated');
    expect(server.requests[1]['if-none-match']).toBeUndefined();
    expect(store.stored()).toMatchObject({ slice: ['a'] });
  });

  it('keeps the last copy when the server refuses or sends a damaged body', async () => {
    const { server, open, log } = await setup();
    expect(await open().refresh()).toBe('updated');
    const refused = open('441900003', 'wrong');
    expect(await refused.refresh()).toBe('failed');
    expect(log).toContain('places: the server answered 401');
    server.content = { body: gzipSync('{"not":"a list"}'), etag: '"v3"' };
    const damaged = open();
    expect(await damaged.refresh()).toBe('failed');
    expect(log.some((l) => l.startsWith('places: the server sent an unreadable copy'))).toBe(true);
    expect(damaged.stored()).toMatchObject({ slice: ['a'], marker: { etag: '"v1"' } });
    server.content = { body: Buffer.from('not gzip'), etag: '"v4"' };
    expect(await open().refresh()).toBe('failed');
    expect(open().stored()).toMatchObject({ slice: ['a'] });
  });

  it('shares one request among concurrent callers and writes nothing once closed', async () => {
    const { server, dir, open } = await setup();
    const store = open();
    const [a, b] = await Promise.all([store.refresh(), store.refresh()]);
    expect([a, b]).toEqual(['updated', 'updated']);
    expect(server.requests).toHaveLength(1);

    rmSync(join(dir, 'places.bin'));
    rmSync(join(dir, 'places.json'));
    const closing = open();
    const pending = closing.refresh();
    closing.close();
    expect(await pending).toBe('failed');
    expect(open().stored()).toBeNull();
  });
});
