// A minimal PNG encoder (8-bit RGB, filter 0, one IDAT) and the simulated phone camera that
// uses it. The simulated officers attach real images to their reports and feedback, so the
// photo path (upload, content address, serve, show) is exercised end to end without shipping
// image files: a 64×48 "scene" costs ~0.2 ms and ~1–3 KB.
import { crc32, deflateSync } from 'node:zlib';
import { createRng } from '../../src-shared/domain/geo';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  // The CRC covers the type and the data, not the length.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes width×height RGB pixels (row-major, 3 bytes a pixel) as a PNG file. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`encodePng: bad size ${width}×${height}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`encodePng: expected ${width * height * 3} bytes of RGB, got ${rgb.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None for every scanline
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export type PhotoKind = 'before' | 'after';

/**
 * A small synthetic street scene seeded by `seed` (the case id): sky/ground gradient, a few
 * buildings, and a marker for the problem — red clutter before, a green tick-like band after —
 * so before/after photos of the same case look related but different.
 */
export function renderScenePhoto(seed: string, kind: PhotoKind, width = 64, height = 48): Buffer {
  const rng = createRng(`photo/${seed}`);
  const px = new Uint8Array(width * height * 3);
  const horizon = Math.floor(height * (0.35 + rng.next() * 0.2));
  const sky: [number, number, number] = [110 + rng.int(60), 150 + rng.int(60), 200 + rng.int(50)];
  const ground: [number, number, number] = [90 + rng.int(50), 85 + rng.int(40), 75 + rng.int(40)];
  const set = (x: number, y: number, r: number, g: number, b: number): void => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 3;
    px[i] = r;
    px[i + 1] = g;
    px[i + 2] = b;
  };
  for (let y = 0; y < height; y++) {
    const base = y < horizon ? sky : ground;
    const shade = y < horizon ? 1 - (0.3 * y) / horizon : 0.8 + (0.2 * (y - horizon)) / (height - horizon);
    for (let x = 0; x < width; x++) {
      const noise = rng.int(9) - 4; // sensor noise keeps it looking like a photo, not a flat fill
      set(
        x,
        y,
        clamp(base[0] * shade + noise),
        clamp(base[1] * shade + noise),
        clamp(base[2] * shade + noise),
      );
    }
  }
  // Buildings along the horizon (the same for before and after: drawn from the same seed).
  const buildings = 2 + rng.int(4);
  for (let b = 0; b < buildings; b++) {
    const w = 6 + rng.int(14);
    const h = 8 + rng.int(Math.max(1, horizon - 4));
    const x0 = rng.int(width - w);
    const tone = 120 + rng.int(100);
    for (let y = horizon - h; y < horizon; y++) {
      for (let x = x0; x < x0 + w; x++) {
        const window = (x - x0) % 4 === 2 && (y - horizon + h) % 5 === 2;
        set(x, y, window ? 230 : tone, window ? 220 : tone - 10, window ? 150 : tone - 20);
      }
    }
  }
  // The problem spot: clutter before, cleared and marked after.
  const cx = 10 + rng.int(width - 20);
  const cy = horizon + 4 + rng.int(Math.max(1, height - horizon - 8));
  const radius = 4 + rng.int(4);
  for (let y = cy - radius; y <= cy + radius; y++) {
    for (let x = cx - radius; x <= cx + radius; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > radius * radius) continue;
      if (kind === 'before') set(x, y, 200 + rng.int(55), 40 + rng.int(40), 30 + rng.int(30));
      else if (Math.abs(x - cx - (y - cy)) <= 1) set(x, y, 40, 190, 70);
    }
  }
  return encodePng(width, height, px);
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
