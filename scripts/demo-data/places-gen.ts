// Managed places: rental buildings 出租屋 with risk tiers and "三小" small venues.

import { createRng } from '../../src-shared/domain/geo';
import { RENTAL_TIERS } from '../../src-shared/domain/case-model';
import type { PlacesTable } from '../../src-shared/dataset/places';
import {
  allocPlaces,
  NO_TIER,
  PLACE_KIND_RENTAL,
  PLACE_KIND_SMALL_VENUE,
  RENTAL_TIER_INSPECTIONS_PER_MONTH,
} from '../../src-shared/dataset/places';
import type { Geography } from './geography';
import type { GridModel } from './model';
import { apportion, samplePointInGrid } from './sampling';

/** Overall tier mix 宽管/警示/严管/禁租; per grid the non-lenient share scales with the grid's risk. */
export const RENTAL_TIER_MIX = [0.7, 0.18, 0.1, 0.02] as const;
/** 小商店 / 小餐饮 / 小娱乐 */
export const SMALL_VENUE_MIX = [0.55, 0.35, 0.1] as const;

export interface PlacesResult {
  table: PlacesTable;
  rentalsPerGrid: Int32Array;
  venuesPerGrid: Int32Array;
  unitsPerGrid: Int32Array;
}

export function generatePlaces(
  geo: Geography,
  model: GridModel,
  seed: string,
  opts: { rentals: number; smallVenues: number; referenceDay: number },
): PlacesResult {
  const n = geo.grids.length;
  const rentalsPerGrid = apportion(opts.rentals, model.rentalWeight);
  const venuesPerGrid = apportion(opts.smallVenues, model.venueWeight);
  const unitsPerGrid = new Int32Array(n);
  const table = allocPlaces(opts.rentals + opts.smallVenues);
  const rng = createRng(`${seed}/places`);
  const pt = new Int32Array(2);
  // mean risk so that the overall non-lenient share stays ≈ 30 %
  let riskMean = 0;
  for (let g = 0; g < n; g++) riskMean += model.rentalRisk[g] * rentalsPerGrid[g];
  riskMean /= Math.max(1, opts.rentals);
  const nonLenient = 1 - RENTAL_TIER_MIX[0];
  const cycleDays = RENTAL_TIERS.map((t) => 30 / RENTAL_TIER_INSPECTIONS_PER_MONTH[t]);
  let row = 0;
  for (let g = 0; g < n; g++) {
    const pNl = Math.min(0.9, (nonLenient * model.rentalRisk[g]) / riskMean);
    for (let k = 0; k < rentalsPerGrid[g]; k++, row++) {
      samplePointInGrid(geo, g, rng, pt);
      table.lon[row] = pt[0];
      table.lat[row] = pt[1];
      table.grid[row] = g;
      table.kind[row] = PLACE_KIND_RENTAL;
      let tier = 0;
      if (rng.next() < pNl) {
        const u = rng.next() * nonLenient;
        tier = u < RENTAL_TIER_MIX[1] ? 1 : u < RENTAL_TIER_MIX[1] + RENTAL_TIER_MIX[2] ? 2 : 3;
      }
      table.tier[row] = tier;
      table.subkind[row] = NO_TIER;
      const units = Math.min(300, Math.max(1, Math.round(Math.exp(1.2 + 0.75 * rng.normal()))));
      table.units[row] = units;
      unitsPerGrid[g] += units;
      table.lastInspectionDay[row] = opts.referenceDay - Math.floor(rng.next() * cycleDays[tier]);
    }
    for (let k = 0; k < venuesPerGrid[g]; k++, row++) {
      samplePointInGrid(geo, g, rng, pt);
      table.lon[row] = pt[0];
      table.lat[row] = pt[1];
      table.grid[row] = g;
      table.kind[row] = PLACE_KIND_SMALL_VENUE;
      table.tier[row] = NO_TIER;
      const u = rng.next();
      table.subkind[row] = u < SMALL_VENUE_MIX[0] ? 0 : u < SMALL_VENUE_MIX[0] + SMALL_VENUE_MIX[1] ? 1 : 2;
      table.units[row] = 0;
      table.lastInspectionDay[row] = opts.referenceDay - Math.floor(rng.next() * 60);
    }
  }
  return { table, rentalsPerGrid, venuesPerGrid, unitsPerGrid };
}
