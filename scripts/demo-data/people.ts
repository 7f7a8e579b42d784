// Officers: grid officers 网格员 (2–5 per grid, a few 一员多格 specialists), the city mobile
// squad 机动巡查队 and department handlers. Names, phones and employee numbers are fake.

import type { Rng } from '../../src-shared/domain/geo';
import { createRng } from '../../src-shared/domain/geo';
import type { Department, Officer, SquadKind } from '../../src-shared/dataset/types';
import type { Geography } from './geography';
import type { GridModel } from './model';
import { AliasTable, MICRO, samplePointInGrid } from './sampling';

// Common surnames, weighted roughly for Guangdong (陈 李 黄 张 梁 刘 林 …).
const SURNAMES: [string, number][] = [
  ['陈', 120],
  ['李', 90],
  ['黄', 85],
  ['张', 70],
  ['梁', 55],
  ['刘', 55],
  ['林', 50],
  ['王', 50],
  ['叶', 35],
  ['何', 35],
  ['吴', 35],
  ['郭', 25],
  ['罗', 30],
  ['邓', 30],
  ['杨', 30],
  ['钟', 30],
  ['谢', 25],
  ['蔡', 22],
  ['曾', 22],
  ['周', 22],
  ['朱', 20],
  ['卢', 20],
  ['袁', 15],
  ['莫', 15],
  ['冯', 15],
  ['赖', 15],
  ['苏', 15],
  ['麦', 12],
  ['徐', 12],
  ['胡', 12],
  ['彭', 12],
  ['许', 12],
  ['戴', 6],
  ['祁', 5],
  ['邝', 6],
  ['温', 8],
  ['陆', 8],
  ['潘', 10],
  ['方', 8],
  ['邱', 10],
  ['赵', 10],
  ['孙', 8],
  ['马', 8],
  ['高', 8],
  ['唐', 8],
  ['韩', 6],
  ['曹', 6],
  ['尹', 5],
  ['卓', 5],
  ['简', 5],
  ['区', 4],
  ['欧阳', 4],
  ['司徒', 2],
  ['植', 3],
  ['翟', 4],
  ['姚', 6],
];
const GIVEN_MALE = '伟强明杰俊华建志勇军斌浩宇鹏辉文彬锋涛东海波永兴坚荣光超龙洪昌德庆'.split('');
const GIVEN_FEMALE = '丽芳敏静燕婷玲红霞娟秀雅慧琳颖洁倩欣佩嘉晓怡月瑜莹翠萍珊蕾'.split('');
const GIVEN_ANY = '家子思俊国嘉志少永立振晓文彦泽梓锦'.split('');

const surnameTable = new AliasTable(SURNAMES.map(([, w]) => w));

function chineseName(rng: Rng, gender: 'M' | 'F'): string {
  const surname = SURNAMES[surnameTable.sample(rng)][0];
  const pool = gender === 'M' ? GIVEN_MALE : GIVEN_FEMALE;
  if (rng.next() < 0.2) return surname + rng.pick(pool);
  const first = rng.next() < 0.5 ? rng.pick(GIVEN_ANY) : rng.pick(pool);
  return surname + first + rng.pick(pool);
}

const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '152',
  '155',
  '157',
  '158',
  '159',
  '176',
  '177',
  '180',
  '186',
  '188',
  '189',
  '191',
  '198',
];

export interface OfficerOptions {
  gridOfficers: number; // target; lands close (2–5 per grid)
  mobileSquad: number;
  departmentHandlers: number;
}

export interface OfficersResult {
  officers: Officer[];
  /** officers whose home grid is g (grid officers only): CSR */
  gridStart: Int32Array;
  gridOfficers: Int32Array;
  mobileIndices: Int32Array;
}

export function generateOfficers(
  geo: Geography,
  model: GridModel,
  departments: Department[],
  departmentCaseShare: ArrayLike<number>,
  seed: string,
  opts: OfficerOptions,
): OfficersResult {
  const rng = createRng(`${seed}/officers`);
  const n = geo.grids.length;
  // 2–5 per grid ∝ residents, scaled so the total approaches the target
  const per = fitPerGrid(model.pop, opts.gridOfficers);
  const counts = new Int32Array(n);
  for (let g = 0; g < n; g++) counts[g] = clamp(Math.round(model.pop[g] / per), 2, 5);

  const officers: Officer[] = [];
  const phones = new Set<string>();
  const pt = new Int32Array(2);
  const make = (
    squad: SquadKind,
    g: number,
    departmentCode: string | null,
    extraGrids: string[],
  ): Officer => {
    const index = officers.length;
    const gender = rng.next() < (squad === 'grid' ? 0.45 : 0.25) ? 'F' : 'M';
    let phone = '';
    do phone = rng.pick(PHONE_PREFIXES) + String(rng.int(100_000_000)).padStart(8, '0');
    while (phones.has(phone));
    phones.add(phone);
    samplePointInGrid(geo, g, rng, pt);
    const grid = geo.grids[g];
    const o: Officer = {
      index,
      id: 'OF' + String(index + 1).padStart(5, '0'),
      employeeNo: 'DG' + String(10_000_000 + index * 97 + rng.int(97)),
      name: chineseName(rng, gender),
      gender,
      phone,
      squad,
      departmentCode,
      homeGrid: grid.code,
      extraGrids,
      townCode: geo.towns[grid.townIndex].row.code,
      villageCode: geo.villages[grid.villageIndex].row.code,
      position: [pt[0] / MICRO, pt[1] / MICRO],
    };
    officers.push(o);
    return o;
  };

  // grid officers, by grid code; ~3 % are specialists covering 1–2 more grids of their village
  const gridStart = new Int32Array(n + 1);
  const gridsOfVillage = new Map<number, number[]>();
  for (const g of geo.grids) {
    const list = gridsOfVillage.get(g.villageIndex) ?? [];
    list.push(g.index);
    gridsOfVillage.set(g.villageIndex, list);
  }
  for (let g = 0; g < n; g++) {
    gridStart[g] = officers.length;
    for (let k = 0; k < counts[g]; k++) {
      let extra: string[] = [];
      if (rng.next() < 0.03) {
        const siblings = (gridsOfVillage.get(geo.grids[g].villageIndex) ?? []).filter((x) => x !== g);
        const c = geo.grids[g].centroid;
        siblings.sort((a, b) => dist2(geo.grids[a].centroid, c) - dist2(geo.grids[b].centroid, c) || a - b);
        extra = siblings.slice(0, 1 + rng.int(2)).map((x) => geo.grids[x].code);
      }
      make('grid', g, null, extra);
    }
  }
  gridStart[n] = officers.length;
  const gridOfficers = Int32Array.from({ length: officers.length }, (_, i) => i);

  // city mobile squad: based across the city where cases are frequent
  const intensity = new AliasTable(model.caseIntensity);
  const mobileIndices = new Int32Array(opts.mobileSquad);
  for (let k = 0; k < opts.mobileSquad; k++)
    mobileIndices[k] = make('mobile', intensity.sample(rng), null, []).index;

  // department handlers: per department ∝ its share of dispatched cases (min 4), based in the
  // grid that holds a town's centre, towns drawn by case volume
  const townWeight = new Float64Array(geo.towns.length);
  for (const g of geo.grids) townWeight[g.townIndex] += model.caseIntensity[g.index];
  const townTable = new AliasTable(townWeight);
  const centreGrid = geo.towns.map((t) => geo.index.lookupIndex(t.seed[0], t.seed[1]));
  const shareSum = Array.from(departmentCaseShare).reduce((a, b) => a + b, 0) || 1;
  departments.forEach((d, di) => {
    const m = Math.max(4, Math.round((opts.departmentHandlers * departmentCaseShare[di]) / shareSum));
    for (let k = 0; k < m; k++) {
      const t = townTable.sample(rng);
      const g = centreGrid[t] >= 0 ? centreGrid[t] : intensity.sample(rng);
      make('department', g, d.code, []);
    }
  });
  return { officers, gridStart, gridOfficers, mobileIndices };
}

function fitPerGrid(pop: Float64Array, target: number): number {
  const total = (per: number) => {
    let s = 0;
    for (let g = 0; g < pop.length; g++) s += clamp(Math.round(pop[g] / per), 2, 5);
    return s;
  };
  let lo = 1;
  let hi = 1e7;
  for (let it = 0; it < 100; it++) {
    const mid = Math.sqrt(lo * hi);
    if (total(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.abs(total(lo) - target) < Math.abs(total(hi) - target) ? lo : hi;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function dist2(a: readonly number[], b: readonly number[]): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
}
