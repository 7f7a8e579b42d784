// Frames of a synthetic "street camera" for the demo streams: a road with cars moving across,
// a pedestrian, a blinking light, the camera label and a running clock burned in with a 5×7
// bitmap font. Pure pixel code (RGBA, as the H.264 encoder takes it); no canvas, no network.

/** 5×7 glyphs, one string of 7 rows of 5 bits per character. */
const GLYPHS: Record<string, number[]> = {
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  ':': [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00],
  '-': [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  ' ': [0, 0, 0, 0, 0, 0, 0],
  A: [0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
  D: [0x1e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1e],
  E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
  O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e],
  T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
  V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
};

export interface SceneSpec {
  /** Burned-in label (digits, ':', '-', and the letters of GLYPHS). */
  label: string;
  /** Varies colours and traffic between clips. */
  seed: number;
}

type Rgb = readonly [number, number, number];

function fillRect(
  px: Uint8Array,
  w: number,
  h: number,
  x0: number,
  y0: number,
  rw: number,
  rh: number,
  c: Rgb,
) {
  const xa = Math.max(0, Math.floor(x0));
  const ya = Math.max(0, Math.floor(y0));
  const xb = Math.min(w, Math.floor(x0 + rw));
  const yb = Math.min(h, Math.floor(y0 + rh));
  for (let y = ya; y < yb; y++) {
    let i = (y * w + xa) * 4;
    for (let x = xa; x < xb; x++, i += 4) {
      px[i] = c[0];
      px[i + 1] = c[1];
      px[i + 2] = c[2];
      px[i + 3] = 255;
    }
  }
}

function drawText(px: Uint8Array, w: number, h: number, text: string, x0: number, y0: number, scale: number) {
  let x = x0;
  for (const ch of text.toUpperCase()) {
    const g = GLYPHS[ch] ?? GLYPHS[' '];
    // A dark box behind each glyph keeps it legible on any background.
    fillRect(px, w, h, x - scale, y0 - scale, 6 * scale + scale, 9 * scale, [0, 0, 0]);
    for (let row = 0; row < 7; row++)
      for (let col = 0; col < 5; col++)
        if (g[row] & (0x10 >> col))
          fillRect(px, w, h, x + col * scale, y0 + row * scale, scale, scale, [255, 255, 255]);
    x += 6 * scale;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Writes frame `index` (at `fps`) of the scene into `px` (w×h RGBA). */
export function renderSceneFrame(
  px: Uint8Array,
  w: number,
  h: number,
  index: number,
  fps: number,
  spec: SceneSpec,
): void {
  const t = index / fps;
  const horizon = Math.round(h * 0.42);
  const hue = (spec.seed * 47) % 60;
  // Sky gradient and buildings.
  for (let y = 0; y < horizon; y++)
    fillRect(px, w, h, 0, y, w, 1, [
      60 + hue + (y * 60) / horizon,
      90 + (y * 70) / horizon,
      140 + (y * 50) / horizon,
    ]);
  for (let b = 0; b < 7; b++) {
    const bw = w / 7;
    const bh = horizon * (0.35 + (((b * 13 + spec.seed * 7) % 10) / 10) * 0.5);
    fillRect(px, w, h, b * bw + 2, horizon - bh, bw - 4, bh, [70 + b * 8, 72 + hue, 80 + b * 5]);
    // Windows that light up over time.
    for (let wy = horizon - bh + 6; wy < horizon - 8; wy += 12)
      for (let wx = b * bw + 8; wx < (b + 1) * bw - 10; wx += 12) {
        const lit = Math.floor(wx + wy * 3 + t * 0.5 + spec.seed) % 5 === 0;
        fillRect(px, w, h, wx, wy, 5, 6, lit ? [240, 220, 120] : [40, 45, 60]);
      }
  }
  // Pavement and road with lane marks that move (the camera's view of traffic).
  fillRect(px, w, h, 0, horizon, w, h - horizon, [96, 100, 96]);
  const roadTop = Math.round(h * 0.55);
  const roadH = Math.round(h * 0.3);
  fillRect(px, w, h, 0, roadTop, w, roadH, [48, 50, 54]);
  for (let x = -40; x < w + 40; x += 40)
    fillRect(px, w, h, x + ((t * 60) % 40), roadTop + roadH / 2 - 1, 20, 3, [230, 230, 200]);
  // Cars in two lanes.
  const cars = 3 + (spec.seed % 3);
  for (let k = 0; k < cars; k++) {
    const speed = 40 + ((k * 37 + spec.seed * 11) % 50);
    const dir = k % 2 === 0 ? 1 : -1;
    const span = w + 80;
    const pos = (((k * 97 + t * speed) % span) + span) % span;
    const x = dir > 0 ? pos - 60 : w - pos;
    const y = dir > 0 ? roadTop + roadH * 0.58 : roadTop + roadH * 0.12;
    const colour: Rgb = [(k * 80 + spec.seed * 30) % 256, (k * 140 + 60) % 256, (k * 200 + 90) % 256];
    fillRect(px, w, h, x, y, 46, roadH * 0.28, colour);
    fillRect(px, w, h, x + 8, y - roadH * 0.12, 28, roadH * 0.14, [
      colour[0] / 2,
      colour[1] / 2,
      colour[2] / 2,
    ]);
  }
  // A pedestrian walking along the pavement.
  const px0 = ((t * 18 + spec.seed * 40) % (w + 20)) - 10;
  fillRect(px, w, h, px0, roadTop + roadH + 6, 6, 16, [200, 80, 60]);
  fillRect(px, w, h, px0 + 1, roadTop + roadH, 4, 5, [230, 190, 160]);
  // A blinking red recording light.
  if (Math.floor(t * 2) % 2 === 0) fillRect(px, w, h, w - 14, 6, 8, 8, [230, 30, 30]);
  // Burned-in label and clock (the clip's running time).
  const s = Math.floor(t);
  drawText(px, w, h, spec.label, 6, 6, 2);
  drawText(
    px,
    w,
    h,
    `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`,
    6,
    26,
    2,
  );
}
