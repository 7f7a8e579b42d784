// How the simulated desks use the handling units of the 权责清单 (handling-units.ts), so the demo
// city shows them every day:
// - a village 工作站 sends most village-level matters (出租屋登记, 市容, 调解…) to its own
//   committee 村（社区）委会 rather than a city bureau;
// - it passes some town-level matters up to the town's 分拨 (escalate), since a village seat may
//   not send work to a town department; the town desk then sends them to the department the list
//   names (执法办, 安监办, 市场监管分局, 住建办) — a share of them as a joint dispatch 联合执法 led
//   by that department with the village's committee (and the category's city bureau) assisting.
// Anything else keeps the desk's bureau-or-officer choice (desk-simulator.ts assigneeFor).
import type { Rng } from '../../src-shared/domain/geo';
import { handlingRuleOf, townUnitCode, villageCommitteeCode } from '../../src-shared/domain/handling-units';
import type { Case, Department } from '../../src-shared/protocol/entities';

/** Village-level matters a village desk sends to its committee (the rest: the city bureau). */
export const COMMITTEE_RATE = 0.6;
/** Town-level matters (not emergencies) a village desk passes up to the town's 分拨. */
export const PASS_UP_RATE = 0.15;
/** Town-department dispatches made jointly 联合执法. */
export const JOINT_RATE = 0.2;

export interface UnitRates {
  committee?: number;
  passUp?: number;
  joint?: number;
}

export type UnitPlan =
  | { kind: 'dispatch'; assignee: { kind: 'department'; id: string }; coUnits?: string[] }
  | { kind: 'escalate'; reason: string }
  | null;

export function unitPlan(
  c: Case,
  units: ReadonlyMap<string, Department>,
  bureau: string | null,
  rng: Rng,
  rates: UnitRates = {},
): UnitPlan {
  const rule = handlingRuleOf(c.categoryCode);
  const committee = villageCommitteeCode(c.villageCode);
  if (c.holderCode.length === 12) {
    if (rule.level === 'village' && units.has(committee) && rng.next() < (rates.committee ?? COMMITTEE_RATE))
      return { kind: 'dispatch', assignee: { kind: 'department', id: committee } };
    if (
      rule.level === 'town' &&
      rule.townUnit !== null &&
      c.state === 'registered' &&
      c.priority !== 'emergency' &&
      rng.next() < (rates.passUp ?? PASS_UP_RATE)
    )
      return { kind: 'escalate', reason: '属镇街部门办理事项（权责清单），上报镇街分拨' };
    return null;
  }
  if (c.holderCode.length !== 9 || rule.level === 'city' || rule.townUnit === null) return null;
  const lead = townUnitCode(c.townCode, rule.townUnit);
  if (!units.has(lead)) return null;
  if (rng.next() >= (rates.joint ?? JOINT_RATE))
    return { kind: 'dispatch', assignee: { kind: 'department', id: lead } };
  const coUnits = [committee, ...(bureau !== null && bureau !== 'grid' ? [bureau] : [])].filter((u) =>
    units.has(u),
  );
  return { kind: 'dispatch', assignee: { kind: 'department', id: lead }, coUnits };
}
