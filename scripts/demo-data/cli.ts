// npx tsx scripts/demo-data/cli.ts [--out DIR] [--seed S] [--cases N] [--reference-date YYYY-MM-DD] [--no-planted] [--force] [--help]

import { parseArgs } from 'node:util';

import { DEFAULT_OPTIONS, DEFAULT_SEED, defaultDatasetDir, ensureDataset } from './index';

const USAGE = `Generate the deterministic Dongguan demo dataset.

Usage: npx tsx scripts/demo-data/cli.ts [options]

Options:
  --out DIR                 output directory (default: $GRID_CONSOLE_DATA_DIR/datasets/dongguan,
                            or .data/datasets/dongguan in the repository)
  --seed S                  seed string (default: ${DEFAULT_SEED})
  --cases N                 cases in the one-year history (default: ${DEFAULT_OPTIONS.cases}; e.g. 10000000)
  --reference-date DATE     last day of the history, YYYY-MM-DD (default: ${DEFAULT_OPTIONS.referenceDate})
  --no-planted              leave out the planted rises and laggards (scripts/demo-data/planted.ts)
  --force                   regenerate even if an up-to-date dataset is there
  --help                    show this help

An existing dataset is reused when its generator version, seed and options match.`;

function fail(message: string): never {
  process.stderr.write(`demo-data: ${message}\nRun with --help for usage.\n`);
  process.exit(2);
}

function main(): void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        seed: { type: 'string' },
        cases: { type: 'string' },
        'reference-date': { type: 'string' },
        'no-planted': { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  let cases: number | undefined;
  if (values.cases !== undefined) {
    const s = String(values.cases).replace(/[_,]/g, '');
    if (!/^\d+$/.test(s)) fail(`--cases must be a non-negative integer, got ${JSON.stringify(values.cases)}`);
    cases = Number(s);
    if (cases > 20_000_000) fail('--cases must be at most 20,000,000');
  }
  const referenceDate = values['reference-date'] as string | undefined;
  if (referenceDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(referenceDate)) {
    fail(`--reference-date must be YYYY-MM-DD, got ${JSON.stringify(referenceDate)}`);
  }
  if (values.seed !== undefined && String(values.seed).length === 0) fail('--seed must not be empty');
  const outDir = (values.out as string | undefined) ?? defaultDatasetDir();
  const t0 = performance.now();
  process.stdout.write(`demo-data → ${outDir}\n`);
  let result;
  try {
    result = ensureDataset({
      outDir,
      seed: values.seed as string | undefined,
      cases,
      referenceDate,
      ...(values['no-planted'] === true ? { plantedRises: [], plantedLaggards: [] } : {}),
      force: values.force === true,
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
  } catch (e) {
    if (e instanceof RangeError || /bad date/.test((e as Error).message)) fail((e as Error).message);
    throw e;
  }
  const m = result.manifest;
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (!result.generated) {
    process.stdout.write(
      `up to date (generator ${m.generator.version}, seed ${m.seed}); use --force to regenerate\n`,
    );
  } else {
    process.stdout.write(`generated (${result.reason}) in ${secs} s\n`);
  }
  const c = m.counts;
  const total = m.files.reduce((s, f) => s + f.bytes, 0);
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
  const registered = c.cases - c.casesVoided;
  process.stdout.write(
    [
      `  towns ${c.towns}, villages ${c.villages}, grids ${c.grids} (${m.areaKm2.grids} of ${m.areaKm2.outline} km²)`,
      `  officers ${c.officers} (grid ${c.gridOfficers}, mobile ${c.mobileOfficers}, department ${c.departmentHandlers})`,
      `  cameras ${c.cameras} (${pct(c.camerasOnline, c.cameras)} online)`,
      `  rentals ${c.rentals} (${Object.entries(c.rentalsByTier)
        .map(([k, v]) => `${k} ${pct(v, c.rentals)}`)
        .join(', ')}), small venues ${c.smallVenues}`,
      `  categories ${c.majorCategories} major / ${c.minorCategories} minor, departments ${c.departments}`,
      `  cases ${c.cases} ${m.history.firstDay} … ${m.history.lastDay}: closed ${pct(c.casesClosed, registered)}, on time ${pct(c.casesOnTime, registered)}, rework ${pct(c.casesReworked, registered)}, self-handled ${pct(c.casesSelfHandled, registered)}, voided ${pct(c.casesVoided, c.cases)}`,
      ...m.files.map(
        (f) => `  ${f.name.padEnd(18)} ${(f.bytes / 1e6).toFixed(2).padStart(7)} MB  ${f.rows} rows`,
      ),
      `  total ${(total / 1e6).toFixed(1)} MB`,
    ].join('\n') + '\n',
  );
}

main();
