// Builds the renderer when it is missing or older than its sources, so `npm test` works on a
// fresh clone without a separate `npm run build` (CI builds first and this becomes a no-op).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The newest modification time of any file below `dir` (ms). */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function setup(): void {
  const built = resolve(ROOT, 'out/renderer/index.html');
  const sources = Math.max(
    newestMtime(resolve(ROOT, 'src-renderer')),
    newestMtime(resolve(ROOT, 'src-shared')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  console.log('[e2e] building the renderer (electron-vite build)…');
  execFileSync(
    process.execPath,
    [resolve(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}
