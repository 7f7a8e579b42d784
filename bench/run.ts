// `npm run bench [name…]`: runs each benchmark in its own process (so one's heap and JIT state
// cannot colour another's figures) and prints their output. Benchmarks print figures and a ratio
// against a naive baseline measured in the same run; they are not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const dir = import.meta.dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => basename(f, '.ts'))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
// Long runs only when named: `npm run bench -- sync-soak` (an hour or more), `-- demo-world`
// (the demo city on a virtual clock: a simulated day, a week's downtime, a restart; ≈ 10 min),
// `-- cluster-commands` (SQLite vs a 3-node PostgreSQL + Redis cluster; needs both installed).
const LONG = new Set(['sync-soak', 'demo-world', 'cluster-commands']);
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all.filter((b) => !LONG.has(b))) {
  console.log(`\n=== bench/${name} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(dir, `${name}.ts`)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
