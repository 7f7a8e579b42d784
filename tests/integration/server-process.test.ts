// The dispatch server as `npm start` / `npm run server` run it — a child process on
// scripts/server.ts under tsx — serves the demo camera streams (issue 18, defect 1: the WASM
// encoder's CommonJS exports arrive without `default` on that path and every stream was a 500
// while the in-process tests passed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '../../src-shared/protocol/entities';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { ensureSmallDataset } from '../support/datasets';
import { startServerProcess, type ServerProcess } from '../support/server-process';

describe('the server started as npm start starts it', () => {
  let p: ServerProcess;
  let dataDir: string;
  let token: string;
  let camera: Camera;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gc-server-proc-'));
    p = await startServerProcess({ dataDir, datasetDir: ensureSmallDataset() });
    const rows = p.readDb().prepare('SELECT json, town_code FROM cameras ORDER BY id').all() as {
      json: string;
      town_code: string;
    }[];
    const cams = rows.map((r) => ({ c: JSON.parse(r.json) as Camera, town: r.town_code }));
    const first = cams.find((x) => x.c.online)!;
    camera = first.c;
    const res = await fetch(`${p.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: `${first.town}.dispatcher`, password: DEMO_PASSWORD }),
    });
    token = ((await res.json()) as { data: { token: string } }).data.token;
  });
  afterAll(async () => {
    await p?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('encodes and serves a camera clip as MP4 and HLS', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const mp4 = await fetch(`${p.url}/live/${camera.id}/stream.mp4`, { headers: auth });
    expect(mp4.status, p.output()).toBe(200);
    const bytes = new Uint8Array(await mp4.arrayBuffer());
    expect(String.fromCharCode(...bytes.subarray(4, 8))).toBe('ftyp');
    const hls = await fetch(`${p.url}/live/${camera.id}/index.m3u8`, { headers: auth });
    expect(hls.status).toBe(200);
    expect(await hls.text()).toContain('#EXTM3U');
    expect(p.output()).not.toContain('createH264MP4Encoder');
  });
});
