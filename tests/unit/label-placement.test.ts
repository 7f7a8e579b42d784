// Town names in the city view placed clear of each other, the bubbles and the officer tags
// (issue 16: 万江/莞城/东城/东莞生态园 overlapped in the dense centre).
import { describe, expect, it } from 'vitest';
import {
  placeLabels,
  projectPx,
  TOWN_NAME_METRICS,
  type PlaceableLabel,
} from '../../src-shared/map/label-placement';

const m = TOWN_NAME_METRICS;
const town = (name: string, lon: number, lat: number, cases: number, radius = 12): PlaceableLabel => ({
  position: [lon, lat],
  radius,
  name,
  cases,
  tagged: true,
});

/** The name's box in pixels (without the margin) for an item placed at `offset`. */
function nameBox(it: PlaceableLabel, offset: [number, number], zoom: number) {
  const [x, y] = projectPx(it.position[0], it.position[1], zoom);
  const w = [...it.name].length * m.size;
  return {
    x0: x + offset[0] - w / 2,
    x1: x + offset[0] + w / 2,
    y0: y + offset[1] - m.size / 2,
    y1: y + offset[1] + m.size / 2,
  };
}

describe('placeLabels', () => {
  it('puts a lone town name above its bubble', () => {
    const [offset] = placeLabels([town('虎门镇', 113.67, 22.82, 300, 20)], 9);
    expect(offset).toEqual([0, -(20 + m.gap)]);
  });

  it('keeps crowded names apart: the busiest town is named first, the others move or wait for zoom', () => {
    // four centres ~2–4 km apart: at zoom 9 (≈ 300 m a pixel) their names would all collide above
    const items = [
      town('莞城街道', 113.751, 23.045, 120),
      town('万江街道', 113.73, 23.05, 200),
      town('东城街道', 113.77, 23.03, 320),
      town('东莞生态园', 113.79, 23.06, 40),
    ];
    const zoom = 9;
    const placed = placeLabels(items, zoom);
    expect(placed[2]).not.toBeNull(); // 东城: most open cases, placed first
    const boxes = placed.flatMap((o, k) => (o ? [nameBox(items[k], o, zoom)] : []));
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    for (let a = 0; a < boxes.length; a++)
      for (let b = a + 1; b < boxes.length; b++) {
        const A = boxes[a];
        const B = boxes[b];
        expect(A.x0 < B.x1 && B.x0 < A.x1 && A.y0 < B.y1 && B.y0 < A.y1).toBe(false);
      }
    // no name over another town's bubble
    placed.forEach((o, k) => {
      if (!o) return;
      const box = nameBox(items[k], o, zoom);
      items.forEach((other, j) => {
        if (j === k) return;
        const [x, y] = projectPx(other.position[0], other.position[1], zoom);
        const hit =
          box.x0 < x + other.radius &&
          x - other.radius < box.x1 &&
          box.y0 < y + other.radius &&
          y - other.radius < box.y1;
        expect(hit).toBe(false);
      });
    });
    // zoomed in two levels, every name fits
    expect(placeLabels(items, zoom + 2).every((o) => o !== null)).toBe(true);
  });
});
