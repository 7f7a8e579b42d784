// The reference server's demo camera streams: a few short synthetic H.264 clips, encoded once
// with a WASM encoder (h264-mp4-encoder: no ffmpeg, no network) into <dataDir>/video and read
// from there on later starts, then served as MP4 and as HLS (fMP4 segments cut in memory). Many
// cameras share the few clips; each camera always gets the same one.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as H264Module from 'h264-mp4-encoder';
import { renderSceneFrame } from './demo-scene';
import { initSegment, mediaPlaylist, mediaSegments, readMp4, type Segment } from './fmp4';

export const CLIP_FORMAT = {
  width: 384,
  height: 216,
  fps: 15,
  seconds: 8,
  /** Key frame every 2 s: the HLS segment length. */
  gop: 30,
  count: 4,
  /** Bump when the scene or the encoding changes: old files are then ignored. */
  version: 2,
} as const;

export interface DemoClip {
  index: number;
  mp4: Buffer;
  init: Uint8Array;
  segments: Segment[];
  playlist: string;
  codec: string;
}

export interface DemoStreamsInfo {
  /** Clips encoded at this start (0 when all came from the cache). */
  encoded: number;
  ms: number;
}

export type EncodeClip = (index: number) => Promise<Uint8Array>;

type EncoderModule = typeof H264Module;

/**
 * The encoder is a CommonJS bundle. Imported from an ES module, Node puts its exports on
 * `default`; tsx running a `.ts` file (`npm start`, `npm run server`) hands the CommonJS
 * exports over as the namespace itself, without `default`. Accept both shapes.
 */
export async function loadEncoderModule(): Promise<EncoderModule> {
  const ns = (await import('h264-mp4-encoder')) as EncoderModule & { default?: EncoderModule };
  const mod = typeof ns.createH264MP4Encoder === 'function' ? ns : ns.default;
  if (!mod || typeof mod.createH264MP4Encoder !== 'function')
    throw new Error('h264-mp4-encoder: createH264MP4Encoder not found in the module');
  return mod;
}

/** Encodes clip `index` with the WASM H.264 encoder (baseline profile, as Chromium plays it). */
export const encodeDemoClip: EncodeClip = async (index) => {
  const encoder = await (await loadEncoderModule()).createH264MP4Encoder();
  const { width, height, fps, seconds, gop } = CLIP_FORMAT;
  encoder.width = width;
  encoder.height = height;
  encoder.frameRate = fps;
  encoder.groupOfPictures = gop;
  encoder.speed = 10;
  encoder.quantizationParameter = 30;
  encoder.outputFilename = `clip-${index}-${process.pid}.mp4`;
  encoder.initialize();
  const px = new Uint8Array(width * height * 4);
  const spec = { label: `DEMO CAM ${index + 1}`, seed: index + 1 };
  for (let f = 0; f < fps * seconds; f++) {
    renderSceneFrame(px, width, height, f, fps, spec);
    encoder.addFrameRgba(px);
  }
  encoder.finalize();
  const bytes = encoder.FS.readFile(encoder.outputFilename);
  encoder.FS.unlink(encoder.outputFilename);
  encoder.delete();
  return bytes;
};

function clipOf(index: number, mp4: Buffer): DemoClip {
  const track = readMp4(mp4);
  const segments = mediaSegments(mp4, track, CLIP_FORMAT.gop / CLIP_FORMAT.fps);
  return {
    index,
    mp4,
    init: initSegment(track),
    segments,
    playlist: mediaPlaylist(segments),
    codec: track.codec,
  };
}

/** FNV-1a: a camera id → a stable clip. */
export function clipIndexFor(cameraId: string, count: number = CLIP_FORMAT.count): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < cameraId.length; i++) h = Math.imul(h ^ cameraId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % count;
}

export class DemoStreams {
  private loading: Promise<DemoClip[]> | null = null;
  info: DemoStreamsInfo | null = null;

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void = () => {},
    private readonly encode: EncodeClip = encodeDemoClip,
  ) {}

  /** The clips, encoding the missing ones first (once; later calls share the promise). */
  clips(): Promise<DemoClip[]> {
    this.loading ??= this.load().catch((e: unknown) => {
      this.loading = null;
      throw e;
    });
    return this.loading;
  }

  async clipFor(cameraId: string): Promise<DemoClip> {
    const clips = await this.clips();
    return clips[clipIndexFor(cameraId, clips.length)];
  }

  private async load(): Promise<DemoClip[]> {
    const t0 = performance.now();
    mkdirSync(this.dir, { recursive: true });
    const clips: DemoClip[] = [];
    let encoded = 0;
    for (let i = 0; i < CLIP_FORMAT.count; i++) {
      const file = join(this.dir, `demo-${CLIP_FORMAT.version}-${i}.mp4`);
      let mp4: Buffer;
      if (existsSync(file)) mp4 = readFileSync(file);
      else {
        mp4 = Buffer.from(await this.encode(i));
        writeFileSync(`${file}.tmp`, mp4);
        renameSync(`${file}.tmp`, file);
        encoded++;
        // Let the server answer other requests between two clips.
        await new Promise((r) => setImmediate(r));
      }
      clips.push(clipOf(i, mp4));
    }
    this.info = { encoded, ms: Math.round(performance.now() - t0) };
    this.log(
      `video: ${clips.length} demo clips ready (${encoded} encoded) in ${this.info.ms} ms, ${clips[0]?.codec ?? '-'}`,
    );
    return clips;
  }
}
