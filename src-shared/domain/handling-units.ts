// Handling units and the 权责清单 (issue 17 §3): who may be sent a finding of a category.
//
// Units are departments (protocol Department) of three levels:
// - city bureaus 市直部门 (the dataset's 22 departments: no level, no scope);
// - the town's own departments 镇街（园区）部门: per town 综合行政执法办, 应急管理办（安监办）,
//   市场监管分局, 住建办 — code `t<town><kind>` (e.g. t441900003zf), scope the town;
// - each village's committee 村（社区）委会 — code `v<village>`, scope the village.
// They are derived from the division tree when the dataset is loaded (handlingUnitsOf), so a
// unit's jurisdiction is part of the reference data and visibility follows the one rule.
//
// 分级分类: each category has the lowest level that handles it (HANDLING_LEVELS). A unit of that
// level or above may be sent the finding (a village matter may go to the town or a city bureau,
// never a town matter to a village committee), and only a unit whose area holds the case and
// lies within the dispatching seat's jurisdiction (a village seat sends to its own committee;
// a town matter is escalated, not sent across).
//
// 联合执法: a dispatch may name co-units besides its lead unit (the assignee). The lead signs,
// feeds back and carries the clock and 准确派遣率; co-units see the case and are named on it.
import type { Department } from '../protocol/entities';
import { isWithin } from './codes';

export const HANDLING_LEVELS = ['village', 'town', 'city'] as const;
export type HandlingLevel = (typeof HANDLING_LEVELS)[number];

/** The town departments every town has (镇街（园区）部门), with their words. */
export const TOWN_UNIT_KINDS = {
  zf: { zh: '综合行政执法办', en: 'Comprehensive Law Enforcement Office' },
  yj: { zh: '应急管理办（安监办）', en: 'Emergency and Work Safety Office' },
  sj: { zh: '市场监管分局', en: 'Market Supervision Branch' },
  zj: { zh: '住建办', en: 'Housing and Construction Office' },
} as const;
export type TownUnitKind = keyof typeof TOWN_UNIT_KINDS;

/** At most this many co-units in one joint dispatch 联合执法. */
export const MAX_CO_UNITS = 4;

export const townUnitCode = (townCode: string, kind: TownUnitKind): string => `t${townCode}${kind}`;
export const villageCommitteeCode = (villageCode: string): string => `v${villageCode}`;

/** The level of a unit: a town department, a village committee, or (no level) a city bureau. */
export function unitLevelOf(d: Pick<Department, 'level'>): HandlingLevel {
  return d.level ?? 'city';
}

const RANK: Record<HandlingLevel, number> = { village: 0, town: 1, city: 2 };

/**
 * The town departments and village committees of a division tree, in code order. A village's
 * `name` is its committee's official name (岗贝社区居民委员会), `shortName` the place (岗贝社区).
 */
export function handlingUnitsOf(
  towns: readonly { code: string; name: string }[],
  villages: readonly { code: string; name: string; shortName: string }[],
): Department[] {
  const out: Department[] = [];
  for (const t of towns) {
    for (const kind of Object.keys(TOWN_UNIT_KINDS) as TownUnitKind[]) {
      const words = TOWN_UNIT_KINDS[kind];
      out.push({
        code: townUnitCode(t.code, kind),
        name: `${t.name}${words.zh}`,
        nameEn: `${t.name} ${words.en}`,
        level: 'town',
        scopeCode: t.code,
      });
    }
  }
  for (const v of villages) {
    out.push({
      code: villageCommitteeCode(v.code),
      name: v.name.length > 0 ? v.name : `${v.shortName}村（社区）委会`,
      nameEn: `${v.shortName} Village (Community) Committee`,
      level: 'village',
      scopeCode: v.code,
    });
  }
  return out.sort((a, b) => (a.code < b.code ? -1 : 1));
}

// ---- 权责清单 -------------------------------------------------------------------------------

export interface HandlingRule {
  /** The lowest level that handles a finding of the category. */
  level: HandlingLevel;
  /** The town department that answers for it at town level (null: none, the city bureau does). */
  townUnit: TownUnitKind | null;
}

const rule = (level: HandlingLevel, townUnit: TownUnitKind | null): HandlingRule => ({ level, townUnit });

/** Per major class (MM): the default rule of its minors. */
const MAJOR_RULES: Record<string, HandlingRule> = {
  '01': rule('town', 'yj'), // 消防安全: the town's safety office (fire brigade for fires, below)
  '02': rule('town', 'zf'), // 燃气安全: 黑气点 are the town enforcement office's
  '03': rule('city', 'yj'), // 危化品安全: city bureaus only
  '04': rule('city', null), // 治安隐患: police
  '05': rule('village', 'zf'), // 出租屋管理: registration is the village's rental point
  '06': rule('town', 'yj'), // 安全生产
  '07': rule('town', 'sj'), // 市场监管
  '08': rule('village', 'zf'), // 市容环境: village sanitation first
  '09': rule('town', 'zf'), // 街面秩序: 占道经营, 流动摊贩 — town enforcement
  '10': rule('town', 'zj'), // 施工管理
  '11': rule('village', 'zf'), // 矛盾纠纷: village mediation first
  '12': rule('city', 'zj'), // 交通设施: transport bureau
  '13': rule('city', 'zf'), // 环境保护: ecology bureau
  '14': rule('town', 'sj'), // 三小场所
  '15': rule('town', 'zj'), // 公共设施
  '16': rule('village', 'sj'), // 民生服务: the committee visits first
};

/** Minors whose rule differs from their major's. */
const MINOR_RULES: Record<string, HandlingRule> = {
  '01008': rule('city', 'yj'), // 火情: fire brigade
  '02005': rule('city', 'zf'), // 燃气管道隐患: gas company through the bureau
  '02006': rule('city', 'zf'), // 燃气泄漏
  '05003': rule('town', 'yj'), // 出租屋消防隐患
  '05004': rule('town', 'zj'), // 群租隔断
  '05005': rule('town', 'zf'), // 禁租房屋违规出租
  '05006': rule('city', null), // 出租屋治安隐患: police
  '05008': rule('town', 'zj'), // 房屋结构隐患
  '06008': rule('city', 'yj'), // 安全事故
  '08005': rule('town', 'zf'), // 建筑垃圾乱倒
  '08006': rule('town', 'zf'), // 户外广告牌破损
  '09004': rule('village', 'zf'), // 乱停放共享单车
  '09005': rule('city', null), // 机动车乱停放: traffic police
  '11002': rule('city', null), // 劳资纠纷: human resources bureau
  '11005': rule('town', 'zj'), // 物业纠纷
  '11007': rule('city', null), // 土地山林纠纷
  '11008': rule('town', 'zf'), // 信访苗头
  '12001': rule('town', 'zf'), // 井盖缺失破损: town enforcement secures it at once
  '13002': rule('village', 'zf'), // 河涌水面漂浮物: village river keepers
  '14001': rule('town', 'yj'), // 三小场所消防隐患
  '14002': rule('town', 'yj'), // 三小场所住人
  '14006': rule('town', 'zf'), // 三小场所燃气隐患
  '15004': rule('village', 'zj'), // 通信线缆凌乱
  '16003': rule('city', null), // 适龄儿童失学
  '16004': rule('city', null), // 疫情防控线索
  '16006': rule('town', 'sj'), // 农贸市场秩序
};

/** The 权责清单 entry of a category (unknown codes: city level, the safe side). */
export function handlingRuleOf(categoryCode: string): HandlingRule {
  return MINOR_RULES[categoryCode] ?? MAJOR_RULES[categoryCode.slice(0, 2)] ?? rule('city', null);
}

/** May a unit of this level be sent a finding of this category? (its level or above) */
export function levelAllows(categoryCode: string, unitLevel: HandlingLevel): boolean {
  return RANK[unitLevel] >= RANK[handlingRuleOf(categoryCode).level];
}

// ---- the dispatch target rule ---------------------------------------------------------------

export type UnitRefusalRule = 'UNIT_NOT_LOCAL' | 'UNIT_OUT_OF_SCOPE' | 'WRONG_HANDLING_LEVEL';

export interface UnitRefusal {
  code: 'OUT_OF_SCOPE' | 'WRONG_HANDLING_LEVEL';
  rule: UnitRefusalRule;
  reason: string;
}

type UnitFacts = Pick<Department, 'code' | 'name' | 'level' | 'scopeCode'>;

const LEVEL_WORDS: Record<HandlingLevel, string> = {
  village: 'village committee 村（社区）委会',
  town: 'town department 镇街部门',
  city: 'city bureau 市直部门',
};

/**
 * Why `unit` may not be sent this case by a seat of `seatScope` (null for field actors), or
 * null when it may: its area must hold the case, it must lie within the seat's jurisdiction,
 * and — for the unit that answers for it, not a co-unit that assists (`assisting`) — its level
 * must be one the category's 权责清单 allows.
 */
export function unitTargetProblem(
  c: { gridCode: string; categoryCode: string },
  unit: UnitFacts,
  seatScope: string | null,
  assisting = false,
): UnitRefusal | null {
  // The seat's jurisdiction first, and without the unit's name: a seat learns nothing of a unit
  // it may not see (visibility.ts canSeeUnit) beyond the code it sent.
  if (seatScope !== null && unit.scopeCode !== undefined && !isWithin(unit.scopeCode, seatScope)) {
    return {
      code: 'OUT_OF_SCOPE',
      rule: 'UNIT_OUT_OF_SCOPE',
      reason: `unit ${unit.code} is outside seat scope ${seatScope}: escalate the case instead`,
    };
  }
  if (unit.scopeCode !== undefined && !isWithin(c.gridCode, unit.scopeCode)) {
    return {
      code: 'OUT_OF_SCOPE',
      rule: 'UNIT_NOT_LOCAL',
      reason: `${unit.name} (${unit.code}) handles ${unit.scopeCode} only; the case lies in grid ${c.gridCode}`,
    };
  }
  const need = handlingRuleOf(c.categoryCode).level;
  const level = unitLevelOf(unit);
  if (!assisting && !levelAllows(c.categoryCode, level)) {
    return {
      code: 'WRONG_HANDLING_LEVEL',
      rule: 'WRONG_HANDLING_LEVEL',
      reason: `category ${c.categoryCode} is handled at ${need} level (权责清单); a ${LEVEL_WORDS[level]} cannot take it`,
    };
  }
  return null;
}

/**
 * The units a seat may send this case to, best first (属地 first: the case's village committee,
 * then the town department the 权责清单 names, the other town departments, the category's city
 * bureau, the other bureaus). `cityBureau` is the category's department.
 */
export function dispatchUnits<D extends UnitFacts>(
  c: { gridCode: string; categoryCode: string },
  units: readonly D[],
  seatScope: string | null,
  cityBureau: string | null,
): D[] {
  const r = handlingRuleOf(c.categoryCode);
  const rank = (d: D): number => {
    const level = unitLevelOf(d);
    if (level === 'village') return 0;
    if (level === 'town') return r.townUnit !== null && d.code.endsWith(r.townUnit) ? 1 : 2;
    return d.code === cityBureau ? 3 : 4;
  };
  return units
    .filter((d) => unitTargetProblem(c, d, seatScope) === null)
    .map((d) => ({ d, k: rank(d) }))
    .sort((a, b) => a.k - b.k || (a.d.code < b.d.code ? -1 : 1))
    .map(({ d }) => d);
}
