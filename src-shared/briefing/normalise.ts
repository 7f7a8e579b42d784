// Normalisation of case counts by the size of an area — per base grid, per 1,000 rental units,
// per grid officer — so a big town is not "worse" just for being big. The denominators are
// inputs (per village; towns and scopes sum them) because they change on their own schedule
// (grids redrawn, rentals registered, officers hired) and are not the rollups' business.

import type { BriefingDims, ResolvedScope } from './dims';

/** Per-village denominators (index = dims village index); any may be left out. */
export interface AreaDenominators {
  grids?: ArrayLike<number>;
  rentalUnits?: ArrayLike<number>;
  officers?: ArrayLike<number>;
}

export interface NormalisedRow {
  code: string;
  name: string;
  cases: number;
  grids: number | null;
  rentalUnits: number | null;
  officers: number | null;
  perGrid: number | null;
  per1000RentalUnits: number | null;
  perOfficer: number | null;
}

/** Denominators from a dataset's grids (rental units) and officers (grid officers by home grid). */
export function denominatorsFromDataset(
  dims: BriefingDims,
  grids: ReadonlyArray<{ code: string; villageCode: string; rentalUnits: number }>,
  officers?: ReadonlyArray<{ squad: string; homeGrid: string }>,
): AreaDenominators {
  const g = new Float64Array(dims.nVillages);
  const r = new Float64Array(dims.nVillages);
  const villageOfGrid = new Map<string, number>();
  for (const grid of grids) {
    const v = dims.village(grid.villageCode);
    if (v < 0) continue;
    villageOfGrid.set(grid.code, v);
    g[v] += 1;
    r[v] += grid.rentalUnits;
  }
  let o: Float64Array | undefined;
  if (officers !== undefined) {
    o = new Float64Array(dims.nVillages);
    for (const off of officers) {
      if (off.squad !== 'grid') continue;
      const v = villageOfGrid.get(off.homeGrid);
      if (v !== undefined) o[v] += 1;
    }
  }
  return { grids: g, rentalUnits: r, officers: o };
}

function sumOver(
  values: ArrayLike<number> | undefined,
  pick: (v: number) => boolean,
  n: number,
): number | null {
  if (values === undefined) return null;
  let s = 0;
  for (let v = 0; v < n; v++) if (pick(v)) s += values[v];
  return s;
}

function makeRow(
  code: string,
  name: string,
  cases: number,
  grids: number | null,
  rentalUnits: number | null,
  officers: number | null,
): NormalisedRow {
  const per = (den: number | null, scale = 1) => (den === null || den <= 0 ? null : (cases * scale) / den);
  return {
    code,
    name,
    cases,
    grids,
    rentalUnits,
    officers,
    perGrid: per(grids),
    per1000RentalUnits: per(rentalUnits, 1000),
    perOfficer: per(officers),
  };
}

/** Rows for the scope and each of its areas, given their case counts. */
export function normalise(
  dims: BriefingDims,
  scope: ResolvedScope,
  scopeCases: number,
  areaCases: ArrayLike<number>,
  den: AreaDenominators,
): { scope: NormalisedRow; areas: NormalisedRow[] } {
  const n = dims.nVillages;
  const inScope = (v: number) => scope.inScope[v] === 1;
  const scopeRow = makeRow(
    scope.code,
    scope.name,
    scopeCases,
    sumOver(den.grids, inScope, n),
    sumOver(den.rentalUnits, inScope, n),
    sumOver(den.officers, inScope, n),
  );
  const areas = scope.areas.map((a, i) => {
    const mine = (v: number) => scope.areaOf[v] === i;
    return makeRow(
      a.code,
      a.name,
      areaCases[i],
      sumOver(den.grids, mine, n),
      sumOver(den.rentalUnits, mine, n),
      sumOver(den.officers, mine, n),
    );
  });
  return { scope: scopeRow, areas };
}
