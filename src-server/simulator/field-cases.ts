// New cases (part of the field simulator): at the city's rate and hour-of-day rhythm, officers
// on patrol find problems where they stand and fix most on the spot (自处置, with a photo) or
// report them; citizens (智网人人拍), cameras, the 12345 hotline, departments and higher levels
// report anywhere people live — and a visible problem is often reported again (一事多报).
import { MINUTE_MS } from '../../src-shared/domain/calendar';
import type { Category, Grid } from '../../src-shared/protocol/entities';
import { selfHandleRefusal } from '../../src-shared/domain/work-rules';
import { uuidv7 } from '../../src-shared/util/ids';
import {
  CASES_PER_DAY,
  LIVE_SOURCE_MIX,
  SELF_HANDLE_INSPECTION,
  WeightedPicker,
  calibrateSelfHandle,
  caseRatePerMs,
  poisson,
  selfHandleProbability,
} from './field-rates';
import type { FieldMovement } from './field-movement';
import {
  M_PER_DEG_LAT,
  round6,
  type Action,
  type EchoSource,
  type FieldHost,
  type PublicSource,
  type Worker,
} from './field-world';

/**
 * 一事多报 (issue 18): a visible problem reported by the public is often reported again by others
 * (a second passer-by, a repeat 12345 call, the camera's next pass) within minutes to an hour or
 * two, a few metres away. Chance that a public report draws such repeats, by source, chosen so
 * duplicates make up the share of reports the history's desks voided as "重复上报" (≈ 60 % of the
 * voids: citizen 12 % → 7 %, hotline 8 % → 5 %, video 6 % → 3.6 %) with 1.3 repeats on average.
 */
export const ECHO_RATE: Readonly<Record<EchoSource, number>> = { citizen: 0.06, hotline: 0.04, video: 0.03 };
/** How far from the first report a repeat lands (m) and how much later (min). */
const ECHO_RADIUS_M = 35;
const ECHO_DELAY_MIN: [number, number] = [3, 90];

const SOURCE_TEXT: Record<string, (name: string) => string> = {
  patrol: (n) => `巡查发现：${n}`,
  inspection: (n) => `定期巡检发现隐患：${n}`,
  citizen: (n) => `群众通过“智网人人拍”反映：${n}，请尽快处理`,
  video: (n) => `视频巡查发现疑似${n}`,
  hotline: (n) => `12345热线转办：市民来电反映${n}`,
  department: (n) => `部门移交：${n}`,
  higher_level: (n) => `上级交办：${n}，请核实处置`,
};
const SELF_RESULTS = [
  '已现场劝导，当事人当场整改完毕',
  '已现场处置，问题已消除',
  '已责令当场整改并复查，符合要求',
];

export class FieldCases {
  private readonly categoryPicker: WeightedPicker<Category>;
  private readonly gridPicker: WeightedPicker<Grid>;
  private readonly selfHandleK: number;
  /** The officers on patrol this tick (found on first need, null at the start of a tick). */
  private patrolling: Worker[] | null = null;

  constructor(
    private readonly host: FieldHost,
    private readonly movement: Pick<FieldMovement, 'randomPointIn' | 'gridIndexOf'>,
    /** Relative frequency per category code (the dataset's demoWeight). */
    categoryWeights: ReadonlyMap<string, number> | undefined,
    /** Scales ECHO_RATE. */
    private readonly echoScale: number,
  ) {
    const { ref } = host.server;
    const categories = [...ref.categories.values()].sort((a, b) => a.code.localeCompare(b.code));
    const weightOf = (c: Category): number =>
      categoryWeights?.get(c.code) ?? { emergency: 1, urgent: 2, normal: 3 }[c.defaultPriority];
    this.categoryPicker = new WeightedPicker(categories, categories.map(weightOf));
    this.selfHandleK = calibrateSelfHandle(
      categories.map((c) => ({ priority: c.defaultPriority, weight: weightOf(c) })),
    );
    const grids = [...ref.grids.values()].sort((a, b) => a.code.localeCompare(b.code));
    // Citizens and cameras report where people live and rent: weight grids by residents and units.
    this.gridPicker = new WeightedPicker(
      grids,
      grids.map((g) => 1 + g.residents + g.rentalUnits),
    );
  }

  /** A new tick: who is on patrol is looked at again. */
  beginTick(): void {
    this.patrolling = null;
  }

  /**
   * Queue the cases of the simulated span [from, to) at `rateFactor` times the city's volume;
   * with the inspection rounds on, they report the inspections' hazards themselves.
   */
  generateCases(from: number, to: number, rateFactor: number, roundsOn: boolean): void {
    if (!(to > from) || !(rateFactor > 0)) return;
    const { rng, actions } = this.host;
    const mid = (from + to) / 2;
    const expected = caseRatePerMs(mid, this.host.calendar, CASES_PER_DAY * rateFactor) * (to - from);
    const n = poisson(rng, expected);
    const mix = LIVE_SOURCE_MIX;
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) {
      const at = from + rng.next() * (to - from);
      let u = rng.next() * total;
      let source: keyof typeof mix = 'patrol';
      for (const [s, w] of Object.entries(mix) as [keyof typeof mix, number][]) {
        if (u < w) {
          source = s;
          break;
        }
        u -= w;
      }
      // the inspection rounds report their own hazards (inspection-rounds.ts)
      if (source === 'inspection' && roundsOn) continue;
      if (source === 'patrol' || source === 'inspection') actions.push(at, { kind: 'find', source });
      else actions.push(at, { kind: 'public', source });
    }
  }

  /** An officer on patrol finds a problem where they stand: fix it on the spot, or report it. */
  find(source: 'patrol' | 'inspection', at: number): void {
    const { rng, stats } = this.host;
    const w = this.pickPatrolling();
    if (!w || !w.body) return; // nobody on patrol right now (deep night): the finding does not happen
    const body = w.body;
    const category = this.categoryPicker.pick(rng);
    const p =
      source === 'inspection'
        ? SELF_HANDLE_INSPECTION
        : selfHandleProbability(category.defaultPriority, this.selfHandleK);
    const caseId = newCaseId(this.host.now());
    const before = this.host.photo(caseId, 'before', w.userId);
    if (!before) return;
    const common = {
      caseId,
      categoryCode: category.code,
      description: SOURCE_TEXT[source](category.name),
      address: this.addressOf(body.gridCode),
      lon: round6(body.lon),
      lat: round6(body.lat),
      photos: [before],
    };
    // 前置处理 is never allowed for emergencies, gas and hazardous chemicals (work-rules.ts).
    if (selfHandleRefusal(category.code, category.defaultPriority) === null && rng.next() < p) {
      const after = this.host.photo(caseId, 'after', w.userId);
      if (!after) return;
      const answer = this.host.exec(
        w.userId,
        w.clientId,
        'selfHandle',
        { ...common, result: rng.pick(SELF_RESULTS), afterPhotos: [after] },
        null,
      );
      if (answer?.status === 'accepted') stats.selfHandled++;
      body.busyUntil = at + rng.range(5, 25) * MINUTE_MS;
    } else {
      const answer = this.host.exec(w.userId, w.clientId, 'report', { ...common, source }, null);
      if (answer?.status === 'accepted') stats.reported++;
      body.busyUntil = at + rng.range(2, 6) * MINUTE_MS;
    }
    this.patrolling = this.patrolling?.filter((x) => x !== w) ?? null;
  }

  /** Citizens (智网人人拍), cameras and the hotline: anywhere people live, weighted by grid. */
  publicReport(source: PublicSource, at: number): void {
    const { rng } = this.host;
    const grid = this.gridPicker.pick(rng);
    const point = this.movement.randomPointIn(grid.code, this.movement.gridIndexOf(grid.code));
    if (!point) return;
    const category = this.categoryPicker.pick(rng);
    if (this.publicCase(source, category.code, grid.code, point) && source in ECHO_RATE) {
      const s = source as EchoSource;
      if (rng.next() < ECHO_RATE[s] * this.echoScale) {
        // 1 repeat (75 %), 2 (20 %) or 3 (5 %).
        const u = rng.next();
        const n = u < 0.75 ? 1 : u < 0.95 ? 2 : 3;
        for (let i = 0; i < n; i++) {
          const d = rng.range(0, ECHO_RADIUS_M);
          const angle = rng.range(0, 2 * Math.PI);
          const lat = point[1] + (d * Math.sin(angle)) / M_PER_DEG_LAT;
          const lon =
            point[0] + (d * Math.cos(angle)) / (M_PER_DEG_LAT * Math.cos((point[1] * Math.PI) / 180));
          this.host.actions.push(at + rng.range(...ECHO_DELAY_MIN) * MINUTE_MS, {
            kind: 'echo',
            source: s,
            categoryCode: category.code,
            gridCode: grid.code,
            lon,
            lat,
          });
        }
      }
    }
  }

  /** Another member of the public reports a problem already reported (一事多报). */
  echoReport(a: Action & { kind: 'echo' }): void {
    // A repeat that falls across a grid line is located by the server like any report.
    if (this.publicCase(a.source, a.categoryCode, a.gridCode, [a.lon, a.lat])) this.host.stats.echoes++;
  }

  private publicCase(
    source: PublicSource,
    categoryCode: string,
    gridCode: string,
    point: [number, number],
  ): boolean {
    const category = this.host.server.ref.categories.get(categoryCode);
    if (!category) return false;
    const caseId = newCaseId(this.host.now());
    const userId = source === 'citizen' ? 'U-citizen' : 'U-system';
    const clientId = source === 'citizen' ? 'citizen-app' : `feed-${source}`;
    const photos: string[] = [];
    if (source === 'citizen' || source === 'video') {
      const p = this.host.photo(caseId, 'before', userId);
      if (p) photos.push(p);
    }
    const answer = this.host.exec(
      userId,
      clientId,
      'report',
      {
        caseId,
        categoryCode: category.code,
        source,
        description: SOURCE_TEXT[source](category.name),
        address: this.addressOf(gridCode),
        lon: round6(point[0]),
        lat: round6(point[1]),
        photos,
      },
      null,
    );
    if (answer?.status !== 'accepted') return false;
    this.host.stats.reported++;
    return true;
  }

  /** Who finds it: an officer on patrol, or at night (nobody walking) one keeping watch (在岗). */
  private pickPatrolling(): Worker | null {
    if (this.patrolling === null) {
      const { fieldWorkers } = this.host.crew;
      this.patrolling = fieldWorkers.filter((w) => w.body?.status === 'patrol');
      if (this.patrolling.length === 0)
        this.patrolling = fieldWorkers.filter((w) => w.body?.status === 'on_duty');
    }
    return this.patrolling.length > 0 ? this.host.rng.pick(this.patrolling) : null;
  }

  private addressOf(gridCode: string): string {
    const names = this.host.server.ref.divisionNames;
    const town = names.get(gridCode.slice(0, 9)) ?? '';
    const village = (names.get(gridCode.slice(0, 12)) ?? '').replace(/(居民委员会|村民委员会)$/, '');
    return `${town}${village}第${Number(gridCode.slice(12))}网格`;
  }
}

function newCaseId(now: number): string {
  return `C-${uuidv7(now)}`;
}
