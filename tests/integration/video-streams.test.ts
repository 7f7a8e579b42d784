// The reference server's demo camera streams (src-server/video) on a real server: clips encoded
// once with the WASM H.264 encoder and cached in the data dir, served as MP4 (byte ranges) and as
// HLS (a VOD playlist over an fMP4 init segment and key-frame-aligned media segments), with
// bearer auth, the seat's scope and the cameras' online state.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '../../src-shared/protocol/entities';
import { CLIP_FORMAT, DemoStreams, clipIndexFor } from '../../src-server/video/demo-streams';
import { readMp4 } from '../../src-server/video/fmp4';
import { parseRange } from '../../src-server/video/video-routes';
import { login, startTestServer, type TestServer } from '../support/server-client';

/** Top-level boxes of an MP4 byte string: [type, size]. */
function topBoxes(bytes: Uint8Array): [string, number][] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: [string, number][] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = dv.getUint32(at);
    out.push([String.fromCharCode(...bytes.subarray(at + 4, at + 8)), size]);
    if (size < 8) break;
    at += size;
  }
  return out;
}

describe('demo camera streams from the reference server', () => {
  let t: TestServer;
  let token: string;
  let townCode: string;
  let online: Camera;
  let offline: Camera | undefined;
  let outside: Camera;

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.server.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    t = await startTestServer();
    const rows = t.server.db.prepare('SELECT json, town_code FROM cameras ORDER BY id').all() as {
      json: string;
      town_code: string;
    }[];
    townCode = rows[0].town_code;
    const mine = rows.filter((r) => r.town_code === townCode).map((r) => JSON.parse(r.json) as Camera);
    online = mine.find((c) => c.online)!;
    offline = mine.find((c) => !c.online);
    outside = JSON.parse(rows.find((r) => r.town_code !== townCode)!.json) as Camera;
    token = await login(t.server, `${townCode}.dispatcher`);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('encodes the clips on the first request, into the data dir, and reads them from there after', async () => {
    const dir = join(t.dataDir, 'video');
    expect(existsSync(dir)).toBe(false);
    const t0 = performance.now();
    const res = await get(`/live/${online.id}/stream.mp4`);
    const firstMs = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const mp4 = new Uint8Array(await res.arrayBuffer());
    expect(readdirSync(dir).filter((f) => f.endsWith('.mp4'))).toHaveLength(CLIP_FORMAT.count);
    const track = readMp4(mp4);
    expect([track.width, track.height]).toEqual([CLIP_FORMAT.width, CLIP_FORMAT.height]);
    expect(track.samples).toHaveLength(CLIP_FORMAT.fps * CLIP_FORMAT.seconds);
    expect(track.codec).toMatch(/^avc1\.42/); // constrained baseline: every Chromium plays it
    // Key frames every GOP: the HLS segments start on them.
    expect(track.samples.filter((s) => s.sync)).toHaveLength(
      (CLIP_FORMAT.fps * CLIP_FORMAT.seconds) / CLIP_FORMAT.gop,
    );

    // A second server over the same data dir reads the cached files instead of encoding.
    const again = new DemoStreams(
      dir,
      () => undefined,
      () => Promise.reject(new Error('must not encode')),
    );
    const clips = await again.clips();
    expect(again.info?.encoded).toBe(0);
    expect(Buffer.compare(clips[clipIndexFor(online.id)].mp4, Buffer.from(mp4))).toBe(0);
    console.log(
      `video: first stream request (encoding ${CLIP_FORMAT.count} clips) ${Math.round(firstMs)} ms; ` +
        `cached start ${again.info?.ms} ms; clip ${mp4.length} bytes`,
    );
  }, 60_000);

  it('serves byte ranges of the MP4', async () => {
    const whole = new Uint8Array(await (await get(`/live/${online.id}/stream.mp4`)).arrayBuffer());
    const part = await get(`/live/${online.id}/stream.mp4`, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(whole.subarray(100, 200));
    expect((await get(`/live/${online.id}/stream.mp4`, { range: `bytes=${whole.length}-` })).status).toBe(
      416,
    );
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=5-', 100)).toEqual({ start: 5, end: 99 });
    expect(parseRange('items=0-1', 100)).toBeNull();
  });

  it('serves HLS: a VOD playlist over an fMP4 init segment and moof+mdat segments', async () => {
    const res = await get(`/live/${online.id}/index.m3u8`);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const playlist = await res.text();
    expect(playlist.startsWith('#EXTM3U\n')).toBe(true);
    expect(playlist).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(playlist).toContain('#EXT-X-ENDLIST');
    const segs = [...playlist.matchAll(/#EXTINF:([\d.]+),\n(seg-\d+\.m4s)/g)];
    expect(segs.length).toBe((CLIP_FORMAT.fps * CLIP_FORMAT.seconds) / CLIP_FORMAT.gop);
    const total = segs.reduce((s, m) => s + Number(m[1]), 0);
    expect(total).toBeCloseTo(CLIP_FORMAT.seconds, 1);

    const init = new Uint8Array(await (await get(`/live/${online.id}/init.mp4`)).arrayBuffer());
    expect(topBoxes(init).map((b) => b[0])).toEqual(['ftyp', 'moov']);
    expect(Buffer.from(init).includes(Buffer.from('mvex'))).toBe(true);
    expect(Buffer.from(init).includes(Buffer.from('avcC'))).toBe(true);

    let samples = 0;
    for (const m of segs) {
      const seg = new Uint8Array(await (await get(`/live/${online.id}/${m[2]}`)).arrayBuffer());
      const boxes = topBoxes(seg);
      expect(boxes.map((b) => b[0])).toEqual(['moof', 'mdat']);
      expect(boxes[0][1] + boxes[1][1]).toBe(seg.length);
      // trun's sample count (after 'trun' + version/flags).
      const at = Buffer.from(seg).indexOf('trun');
      samples += new DataView(seg.buffer, seg.byteOffset).getUint32(at + 8);
    }
    expect(samples).toBe(CLIP_FORMAT.fps * CLIP_FORMAT.seconds);
    expect((await get(`/live/${online.id}/seg-99.m4s`)).status).toBe(404);
  });

  it('answers 401 without a token, 404 outside the seat scope or for a bad path, 503 when offline', async () => {
    expect((await fetch(`${t.server.url}/live/${online.id}/index.m3u8`)).status).toBe(401);
    expect((await get(`/live/${outside.id}/index.m3u8`)).status).toBe(404);
    expect((await get(`/live/${online.id}/../../server.sqlite`)).status).toBe(404);
    expect((await get(`/live/${online.id}/other.mp4`)).status).toBe(404);
    if (offline) {
      const res = await get(`/live/${offline.id}/index.m3u8`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CAMERA_OFFLINE');
    }
  });

  it('spreads the cameras over the clips', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `CAM-${i}`);
    const used = new Set(ids.map((id) => clipIndexFor(id)));
    expect(used.size).toBe(CLIP_FORMAT.count);
    expect(clipIndexFor('CAM-7')).toBe(clipIndexFor('CAM-7'));
  });
});
