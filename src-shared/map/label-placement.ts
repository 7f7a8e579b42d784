// Where the city view puts each town's name so that names do not overlap each other, the
// bubbles or the officer tags (in the dense centre 万江/莞城/东城/东莞生态园 they all sat above
// their bubbles and ran into one another). Greedy, most open cases first: above the bubble, else
// below its officer tag, right, left, then the four diagonals — clear of every tag if it can be,
// else running under one; a name that fits nowhere is left out at this zoom (its
// bubble and count stay, and it comes back when zoomed in). Pure: pixel geometry of Web Mercator
// at the given zoom (512-pixel world at zoom 0, as maplibre and deck.gl draw it).

export interface PlaceableLabel {
  position: [number, number];
  /** Bubble radius in pixels (0: no bubble). */
  radius: number;
  name: string;
  /** Priority: more first. */
  cases: number;
  /** Has an officer tag under its bubble. */
  tagged: boolean;
}

export interface LabelMetrics {
  /** Font size of the names in pixels (CJK glyphs are about this wide). */
  size: number;
  /** Gap between the bubble and the name. */
  gap: number;
  /** Height of the officer tag drawn under a bubble (and its gap). */
  tagHeight: number;
  /** Width of the officer tag. */
  tagWidth: number;
  /** Extra clearance around every box (outline halo, zoom rounding). */
  margin: number;
}

export const TOWN_NAME_METRICS: LabelMetrics = { size: 15, gap: 10, tagHeight: 26, tagWidth: 28, margin: 3 };

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Pixel position at `zoom` (Web Mercator, 512 px world at zoom 0). */
export function projectPx(lon: number, lat: number, zoom: number): [number, number] {
  const world = 512 * 2 ** zoom;
  const phi = (Math.max(-85, Math.min(85, lat)) * Math.PI) / 180;
  return [
    ((lon + 180) / 360) * world,
    ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * world,
  ];
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/**
 * The pixel offset (from the item's position to the centre of its name) of each item, or null
 * when its name is left out at this zoom; in the input order.
 */
export function placeLabels(
  items: readonly PlaceableLabel[],
  zoom: number,
  m: LabelMetrics = TOWN_NAME_METRICS,
): ([number, number] | null)[] {
  const px = items.map((i) => projectPx(i.position[0], i.position[1], zoom));
  const box = (cx: number, cy: number, w: number, h: number): Box => ({
    x0: cx - w / 2 - m.margin,
    y0: cy - h / 2 - m.margin,
    x1: cx + w / 2 + m.margin,
    y1: cy + h / 2 + m.margin,
  });
  // fixed obstacles: every bubble and officer tag (an item's own bubble is clear of its
  // candidates by construction; its own tag is not, beside a small bubble)
  const taken: { box: Box; owner: number; soft?: boolean }[] = [];
  items.forEach((it, k) => {
    const [x, y] = px[k];
    if (it.radius > 0) taken.push({ box: box(x, y, 2 * it.radius, 2 * it.radius), owner: k });
    if (it.tagged)
      taken.push({
        box: box(x, y + Math.max(it.radius, 6) + m.gap, m.tagWidth, m.tagHeight - m.gap),
        owner: -1,
        soft: true,
      });
  });
  const order = items.map((_, k) => k).sort((a, b) => items[b].cases - items[a].cases || a - b);
  const out: ([number, number] | null)[] = items.map(() => null);
  for (const k of order) {
    const it = items[k];
    const [x, y] = px[k];
    const w = [...it.name].length * m.size;
    const h = m.size;
    const r = Math.max(it.radius, 6);
    const below = r + (it.tagged ? m.tagHeight : 0) + m.gap + h / 2;
    const side = r + m.gap / 2 + w / 2;
    const diag = r * Math.SQRT1_2;
    const candidates: [number, number][] = [
      [0, -(r + m.gap)],
      [0, below],
      [side, 0],
      [-side, 0],
      [diag + m.gap / 2 + w / 2, -(diag + m.gap / 2 + h / 2)],
      [-(diag + m.gap / 2 + w / 2), -(diag + m.gap / 2 + h / 2)],
      [diag + m.gap / 2 + w / 2, diag + m.gap / 2 + h / 2],
      [-(diag + m.gap / 2 + w / 2), diag + m.gap / 2 + h / 2],
    ];
    // clear of everything if it can be; else allowed to run under an officer tag (a small
    // figure drawn over it), never over another name or a bubble
    for (const hard of [false, true]) {
      for (const [dx, dy] of candidates) {
        const b = box(x + dx, y + dy, w, h);
        if (taken.some((t) => t.owner !== k && !(hard && t.soft) && overlaps(b, t.box))) continue;
        taken.push({ box: b, owner: -1 });
        out[k] = [dx, dy];
        break;
      }
      if (out[k]) break;
    }
  }
  return out;
}
