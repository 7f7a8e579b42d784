// Pixel checks for the map's end-to-end test: decode a Playwright PNG screenshot (8-bit RGB or
// RGBA, not interlaced: what Chromium writes) and count pixels of given colours.
import { inflateSync } from 'node:zlib';

export interface Rgba8Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel. */
  data: Uint8Array;
}

export function decodePng(png: Buffer): Rgba8Image {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colorType = body[9];
      if (depth !== 8 || body[12] !== 0 || (colorType !== 2 && colorType !== 6)) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${body[12]}`);
      }
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = cur[x * channels];
      out[o + 1] = cur[x * channels + 1];
      out[o + 2] = cur[x * channels + 2];
      out[o + 3] = channels === 4 ? cur[x * channels + 3] : 255;
    }
    prev = cur;
  }
  return { width, height, data: out };
}

/** Pixels within `tol` per channel of each colour (first match wins), optionally in a square around a point. */
export function countColors(
  png: Buffer,
  colors: Record<string, readonly [number, number, number]>,
  opts: { tol?: number; around?: { x: number; y: number; r: number } } = {},
): Record<string, number> {
  const { width, height, data } = decodePng(png);
  const tol = opts.tol ?? 3;
  const entries = Object.entries(colors);
  const out: Record<string, number> = Object.fromEntries(entries.map(([k]) => [k, 0]));
  const a = opts.around;
  const x0 = a ? Math.max(0, Math.floor(a.x - a.r)) : 0;
  const x1 = a ? Math.min(width - 1, Math.ceil(a.x + a.r)) : width - 1;
  const y0 = a ? Math.max(0, Math.floor(a.y - a.r)) : 0;
  const y1 = a ? Math.min(height - 1, Math.ceil(a.y + a.r)) : height - 1;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const o = (y * width + x) * 4;
      for (const [name, c] of entries) {
        if (
          Math.abs(data[o] - c[0]) <= tol &&
          Math.abs(data[o + 1] - c[1]) <= tol &&
          Math.abs(data[o + 2] - c[2]) <= tol
        ) {
          out[name]++;
          break;
        }
      }
    }
  }
  return out;
}
