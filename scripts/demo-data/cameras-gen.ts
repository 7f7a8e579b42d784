// Video points 视频监控点 with GB/T 28181-style 20-digit device ids and names such as
// 横沥镇田坑村振兴路口.

import type { Rng } from '../../src-shared/domain/geo';
import { createRng } from '../../src-shared/domain/geo';
import type { Camera, CameraOwner } from '../../src-shared/dataset/types';
import type { Geography } from './geography';
import type { GridModel } from './model';
import { apportion, MICRO, samplePointInGrid } from './sampling';

const ROAD_PREFIXES =
  '振兴 工业 环城 新村 中心 商业 文明 和平 幸福 兴业 育才 富民 花园 东方 迎宾 人民 建设 长青 荔园 松柏 银湖 学院 沿河 民安 宏图 南门 北环 东环 西环 站前 创业 科技 金龙 凤凰 鸿福 康乐 聚福 同心 光明 新华'.split(
    ' ',
  );
const ROAD_TYPES = ['路', '路', '路', '街', '大道', '一路', '二路'];
const SPOTS: [string, number][] = [
  ['路口', 30],
  ['交叉口', 10],
  ['路段', 15],
  ['公交站', 6],
  ['市场门口', 5],
  ['学校门口', 5],
  ['公园入口', 3],
  ['村口', 6],
  ['广场', 4],
  ['桥头', 3],
  ['工业区门口', 6],
  ['停车场', 3],
  ['小区门口', 6],
];
const SPOT_TOTAL = SPOTS.reduce((s, [, w]) => s + w, 0);
const OWNERS: [CameraOwner, number][] = [
  ['public_security', 0.55],
  ['town', 0.3],
  ['enterprise', 0.15],
];

function pickWeighted<T>(rng: Rng, items: [T, number][], total: number): T {
  let u = rng.next() * total;
  for (const [v, w] of items) {
    if ((u -= w) < 0) return v;
  }
  return items[items.length - 1][0];
}

export function generateCameras(
  geo: Geography,
  model: GridModel,
  venuesPerGrid: Int32Array,
  seed: string,
  total: number,
): Camera[] {
  const rng = createRng(`${seed}/cameras`);
  const weights = geo.grids.map((g) => 2 + venuesPerGrid[g.index] / 40 + model.caseIntensity[g.index] / 300);
  const perGrid = apportion(total, weights);
  const roadsOfVillage = new Map<number, string[]>();
  const cameras: Camera[] = [];
  const pt = new Int32Array(2);
  const names = new Map<string, number>();
  for (const g of geo.grids) {
    const village = geo.villages[g.villageIndex];
    const town = geo.towns[g.townIndex];
    let roads = roadsOfVillage.get(village.index);
    if (!roads) {
      const set = new Set<string>();
      const want = 3 + rng.int(5);
      while (set.size < want) set.add(rng.pick(ROAD_PREFIXES) + rng.pick(ROAD_TYPES));
      roads = [...set];
      roadsOfVillage.set(village.index, roads);
    }
    for (let k = 0; k < perGrid[g.index]; k++) {
      samplePointInGrid(geo, g.index, rng, pt);
      const seq = cameras.length + 1;
      const id = '4419000000' + '132' + '0' + String(seq).padStart(6, '0');
      const base = town.row.name + village.shortName + rng.pick(roads) + pickWeighted(rng, SPOTS, SPOT_TOTAL);
      const dup = (names.get(base) ?? 0) + 1;
      names.set(base, dup);
      const dome = rng.next() < 0.06;
      cameras.push({
        id,
        name: dup === 1 ? base : `${base}${dup}`,
        position: [pt[0] / MICRO, pt[1] / MICRO],
        gridCode: g.code,
        owner: pickWeighted(rng, OWNERS, 1),
        online: rng.next() < 0.95,
        direction: rng.int(360),
        fieldOfView: dome ? 360 : rng.pick([55, 60, 75, 90, 90, 110]),
        streamPath: `/live/${id}`,
      });
    }
  }
  return cameras;
}
