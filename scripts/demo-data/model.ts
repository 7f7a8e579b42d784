// Per-grid synthetic "ground truth" that the other stages draw from: residents, how many
// rentals and small venues a grid attracts, its rental risk, and its case intensity (some hot
// grids). Deterministic from the seed.

import { createRng } from '../../src-shared/domain/geo';
import type { Geography } from './geography';
import { lognormal } from './sampling';

export interface GridModel {
  /** Resident estimate (before rounding). */
  pop: Float64Array;
  rentalWeight: Float64Array;
  venueWeight: Float64Array;
  /** Multiplier (median 1) on the share of non-lenient rental tiers. */
  rentalRisk: Float64Array;
  /** Relative case intensity; a few % of grids are hot spots (×2.5–4). */
  caseIntensity: Float64Array;
  hot: Uint8Array;
}

export function buildGridModel(geo: Geography, seed: string): GridModel {
  const n = geo.grids.length;
  const rng = createRng(`${seed}/grid-model`);
  const pop = new Float64Array(n);
  const rentalWeight = new Float64Array(n);
  const venueWeight = new Float64Array(n);
  const rentalRisk = new Float64Array(n);
  const caseIntensity = new Float64Array(n);
  const hot = new Uint8Array(n);
  // split each village's population among its grids by area × noise
  const share = new Float64Array(n);
  const villageSum = new Float64Array(geo.villages.length);
  for (const g of geo.grids) {
    share[g.index] = g.areaKm2 * lognormal(rng, 0.35);
    villageSum[g.villageIndex] += share[g.index];
  }
  for (const g of geo.grids) {
    const v = geo.villages[g.villageIndex];
    const t = geo.towns[g.townIndex];
    pop[g.index] = (v.population * share[g.index]) / villageSum[g.villageIndex];
    const urban = t.kind === 'street' ? 1.35 : t.kind === 'zone' ? 0.6 : 1;
    rentalWeight[g.index] = pop[g.index] * lognormal(rng, 0.45) * (t.kind === 'zone' ? 0.5 : 1);
    venueWeight[g.index] = pop[g.index] * lognormal(rng, 0.55) * urban;
    rentalRisk[g.index] = lognormal(rng, 0.5);
    const isHot = rng.next() < 0.03;
    hot[g.index] = isHot ? 1 : 0;
    caseIntensity[g.index] =
      Math.pow(pop[g.index], 0.85) * lognormal(rng, 0.4) * urban * (isHot ? rng.range(2.5, 4) : 1);
  }
  return { pop, rentalWeight, venueWeight, rentalRisk, caseIntensity, hot };
}
