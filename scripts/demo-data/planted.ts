// What the default demo history hides on purpose, so the weekly risk briefing (issue 8) has
// something true to find and its test (tests/integration/briefing-planted.test.ts) something to
// check against. Recorded in the manifest (`options`, `plantedRises` with the extra cases,
// `plantedLaggards` with the cases affected).
//
// The history is 2025-01-01 … 2025-12-31 by default; its last complete ISO week is 2025-W52
// (Mon 22 – Sun 28 December), "the chosen week" of the demo briefing. Weekly figures below are
// the un-planted means of the 8 weeks before W50 in the default 2.5M-case history.
//
// Rises: the intensity of one major class in one town × factor for `weeks` weeks from `fromDay`
// (a Monday, so whole ISO weeks); the extra cases come on top of `cases` (814 in all, +0.03 %).
//
// | id                   | class (major) | town     | weeks       | factor | base/week | extra | kind               |
// |----------------------|---------------|----------|-------------|--------|-----------|-------|--------------------|
// | fire-hengli          | 01 消防安全   | 横沥镇   | W51–W52 (2) | 2.5    | ≈ 29      | 85    | strong, small cell |
// | gas-changping        | 02 燃气安全   | 常平镇   | W50–W52 (3) | 2.0    | ≈ 79      | 227   | strong, 3 weeks    |
// | hazchem-dalang       | 03 危化品安全 | 大朗镇   | W52 (1)     | 3.0    | ≈ 23      | 48    | strong, 1 week     |
// | construction-houjie  | 10 施工管理   | 厚街镇   | W51–W52 (2) | 1.5    | ≈ 312     | 302   | modest but real    |
// | worksafety-dongcheng | 06 安全生产   | 东城街道 | W42–W43 (2) | 2.5    | ≈ 50      | 152   | autumn, just after the National Day holiday weeks W40–W41 (in its baseline) |
//
// "Modest but real": +50 % on a big cell is ≈ 8 standard deviations in its first week and still
// ≥ +30 % in the second, when the first is part of the baseline — found every time, but the
// kind of rise a leader would not see in a spreadsheet of 121 classes × 36 towns.
//
// Drift: the same kind of planted rise, but climbing slowly (`ramp`: week k of n at
// 1 + (factor − 1)·k/n), the gradual change a one-week jump test could miss. The briefing must
// report it as rising in its last three weeks (W50–W52), against a baseline that already holds
// its first weeks.
//
// | id                   | class (major) | town   | weeks       | factor (ramp)                 | kind       |
// |----------------------|---------------|--------|-------------|-------------------------------|------------|
// | drift-rental-changan | 05 出租屋管理 | 长安镇 | W47–W52 (6) | 1.2, 1.4, 1.6, 1.8, 2.0, 2.2  | slow drift |
//
// (+20 % of the usual level a week. At +15 % a week over 5 weeks the drift was flagged in 2 of
// its last 3 weeks: each week's baseline already holds the earlier, raised weeks.)
//
// Laggards: dispatched cases of the area (reported in the window) closed on time with
// `onTimeFactor` × the usual probability, so its on-time closure rate 按期结案率 falls below the
// city's (or its town's) for ≥ 3 consecutive weeks. No extra cases. Realistic size: a town a
// quarter worse than usual for a month (≈ 90 % → ≈ 68 %).
//
// | id           | area                                            | weeks       | on-time factor |
// |--------------|-------------------------------------------------|-------------|----------------|
// | lag-shipai   | 441900104 石排镇 (town; city scope)             | W49–W52 (4) | 0.75           |
// | lag-fenggang | 441900117 凤岗镇 (town; city scope)             | W50–W52 (3) | 0.75           |
// | lag-zhushan  | 441900003016 主山社区 (village; 东城街道 scope) | W49–W52 (4) | 0.7            |
//
// With honest rates (each case due once, in the week of its deadline; evaluation.ts) a lag
// shows at its full size from its second week; its first week shows in part (cases reported
// before the lag are still falling due), so two of the three lags run 4 weeks. At W52 all three
// have lagged ≥ 3 weeks in a row, at W51 石排镇 and 主山社区 have.
// (Generator 1.2.0; the manifest records the extra and affected case counts.)

import type { PlantedLaggardSpec, PlantedRiseSpec } from '../../src-shared/dataset/types';

export const DEFAULT_PLANTED_RISES: readonly PlantedRiseSpec[] = [
  { id: 'fire-hengli', majorCode: '01', townCode: '441900106', fromDay: '2025-12-15', weeks: 2, factor: 2.5 },
  { id: 'gas-changping', majorCode: '02', townCode: '441900110', fromDay: '2025-12-08', weeks: 3, factor: 2 },
  {
    id: 'hazchem-dalang',
    majorCode: '03',
    townCode: '441900113',
    fromDay: '2025-12-22',
    weeks: 1,
    factor: 3,
  },
  {
    id: 'construction-houjie',
    majorCode: '10',
    townCode: '441900122',
    fromDay: '2025-12-15',
    weeks: 2,
    factor: 1.5,
  },
  {
    id: 'worksafety-dongcheng',
    majorCode: '06',
    townCode: '441900003',
    fromDay: '2025-10-13',
    weeks: 2,
    factor: 2.5,
  },
  {
    id: 'drift-rental-changan',
    majorCode: '05',
    townCode: '441900119',
    fromDay: '2025-11-17',
    weeks: 6,
    factor: 2.2,
    ramp: true,
  },
];

export const DEFAULT_PLANTED_LAGGARDS: readonly PlantedLaggardSpec[] = [
  { id: 'lag-shipai', areaCode: '441900104', fromDay: '2025-12-01', weeks: 4, onTimeFactor: 0.75 },
  { id: 'lag-fenggang', areaCode: '441900117', fromDay: '2025-12-08', weeks: 3, onTimeFactor: 0.75 },
  { id: 'lag-zhushan', areaCode: '441900003016', fromDay: '2025-12-01', weeks: 4, onTimeFactor: 0.7 },
];
