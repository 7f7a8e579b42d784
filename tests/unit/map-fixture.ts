// A tiny city for the map's unit tests: one town, two villages, four square grids (two per
// village, side by side west→east), officers, cameras and cases placed in them.
import type {
  Camera,
  Case,
  Category,
  Division,
  Grid,
  Officer,
  OfficerFix,
} from '../../src-shared/protocol/entities';
import { snapshotFromReference } from '../../src-shared/map/columns';
import { buildAreas } from '../../src-shared/map/areas';

export const NOW = Date.UTC(2026, 10, 20, 2, 0, 0);
export const TOWN = '441900003';
export const VILLAGES = ['441900003001', '441900003002'] as const;
export const GRIDS = ['441900003001001', '441900003001002', '441900003002001', '441900003002002'] as const;

const square = (x0: number, y0: number, d: number): [number, number][][] => [
  [
    [x0, y0],
    [x0 + d, y0],
    [x0 + d, y0 + d],
    [x0, y0 + d],
    [x0, y0],
  ],
];

export const gridCenter = (k: number): [number, number] => [113.705 + k * 0.01, 23.005];

export function fixtureReference() {
  const grids: Grid[] = GRIDS.map((code, k) => ({
    code,
    villageCode: code.slice(0, 12),
    townCode: TOWN,
    centroid: gridCenter(k),
    rentalUnits: [500, 0, 1000, 250][k],
    residents: 1000,
    geometry: { type: 'Polygon', coordinates: square(113.7 + k * 0.01, 23.0, 0.01) },
  }));
  const divisions: Division[] = [
    {
      code: '4419',
      level: 'city',
      name: '东莞市',
      parentCode: null,
      geometry: { type: 'Polygon', coordinates: square(113.6, 22.9, 0.3) },
    },
    {
      code: TOWN,
      level: 'town',
      name: '东城街道',
      parentCode: '4419',
      geometry: { type: 'Polygon', coordinates: square(113.7, 23.0, 0.04) },
    },
    {
      code: VILLAGES[0],
      level: 'village',
      name: '岗贝社区居民委员会',
      parentCode: TOWN,
      geometry: { type: 'Polygon', coordinates: square(113.7, 23.0, 0.02) },
    },
    {
      code: VILLAGES[1],
      level: 'village',
      name: '大朗村民委员会',
      parentCode: TOWN,
      geometry: {
        type: 'MultiPolygon',
        coordinates: [square(113.72, 23.0, 0.01), square(113.73, 23.0, 0.01)],
      },
    },
  ];
  const officer = (i: number, grid: number, kind: Officer['kind'] = 'grid'): Officer => ({
    id: `OF0000${i}`,
    number: `DG1000000${i}`,
    name: ['袁彬强', '李娜', '王伟', '陈静', '区洪'][i],
    kind,
    departmentCode: null,
    homeGridCode: GRIDS[grid],
    gridCodes: [GRIDS[grid]],
    villageCode: GRIDS[grid].slice(0, 12),
    townCode: TOWN,
  });
  const officers: Officer[] = [
    officer(0, 0),
    officer(1, 0),
    officer(2, 1),
    officer(3, 2),
    officer(4, 3, 'mobile'),
  ];
  const cameras: Camera[] = [0, 1, 2].map((k) => ({
    id: `4419000000132000000${k}`,
    name: `岗贝社区路段${k}`,
    lon: gridCenter(k)[0],
    lat: gridCenter(k)[1] + 0.002,
    gridCode: GRIDS[k],
    owner: 'public_security',
    online: k !== 2,
    direction: k === 0 ? 90 : null,
    fov: null,
    streamUrl: null,
  }));
  const categories = [
    { code: '01001', name: '消防通道堵塞', nameEn: 'Blocked fire lane' },
    { code: '02003', name: '占道经营', nameEn: 'Street vending' },
  ] as Category[];
  return { divisions, grids, officers, cameras, categories, departments: [] };
}

export function fixtureCase(id: string, grid: number, extra: Partial<Case> = {}): Case {
  const [lon, lat] = gridCenter(grid);
  return {
    id,
    state: 'dispatched',
    categoryCode: '01001',
    priority: 'normal',
    source: 'patrol',
    description: '',
    address: '',
    lon,
    lat,
    gridCode: GRIDS[grid],
    villageCode: GRIDS[grid].slice(0, 12),
    townCode: TOWN,
    holderCode: GRIDS[grid].slice(0, 12),
    reporterId: 'OF00000',
    assignee: null,
    assignedBy: null,
    assignedAt: null,
    handlerId: null,
    selfHandled: false,
    supervised: false,
    reworkCount: 0,
    photos: [],
    afterPhotos: [],
    suspensions: [],
    stateBeforeSuspend: null,
    reportedAt: NOW - 3_600_000,
    registeredAt: null,
    dispatchedAt: null,
    dueAt: NOW + 3_600_000,
    feedbackAt: null,
    closedAt: null,
    voidedAt: null,
    version: 1,
    ...extra,
  };
}

export function fixtureCases(): Case[] {
  return [
    fixtureCase('C1', 0, { priority: 'emergency' }),
    fixtureCase('C2', 0, { dueAt: NOW - 60_000 }),
    fixtureCase('C3', 2, { state: 'reported', dueAt: null, reportedAt: NOW - 60_000 }),
    fixtureCase('C4', 3, { state: 'closed', closedAt: NOW }),
    fixtureCase('H17', 2, { priority: 'urgent', dueAt: NOW - 1 }),
  ];
}

export function fixtureFixes(): OfficerFix[] {
  return [
    { officerId: 'OF00000', status: 'patrol', lon: 113.705, lat: 23.004, heading: 90, at: NOW - 10_000 },
    {
      officerId: 'OF00001',
      status: 'on_duty',
      lon: 113.706,
      lat: 23.006,
      heading: null,
      at: NOW - 5 * 60_000,
    },
    {
      officerId: 'OF00002',
      status: 'handling',
      lon: 113.715,
      lat: 23.005,
      heading: 180,
      at: NOW - 30 * 60_000,
    },
    { officerId: 'OF00003', status: 'sos', lon: 113.725, lat: 23.005, heading: null, at: NOW },
  ];
}

export function fixtureSnapshot() {
  const ref = fixtureReference();
  return snapshotFromReference({
    scopeCode: TOWN,
    grids: ref.grids,
    officers: ref.officers,
    cameras: ref.cameras,
    categories: ref.categories,
    cases: fixtureCases(),
    fixes: fixtureFixes(),
    pendingCaseIds: new Set(['C2']),
    version: 7,
  });
}

export function fixtureAreas() {
  const ref = fixtureReference();
  return buildAreas(ref.divisions, ref.grids, TOWN);
}
