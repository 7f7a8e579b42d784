import { ensureSmallDataset } from '../support/datasets';

// Generate the shared small dataset once, before the test files run in parallel.
export function setup(): void {
  const t0 = Date.now();
  ensureSmallDataset();
  const ms = Date.now() - t0;
  if (ms > 1000) console.log(`[integration] small demo dataset ready in ${ms} ms`);
}
