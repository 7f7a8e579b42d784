// The newest modification time (epoch ms) of any file below `dir`, 0 when it does not exist: is a
// build older than its sources? Plain JavaScript with its types beside it (newest-mtime.d.mts),
// because `npm start` (scripts/start.mjs) runs under plain Node before anything is built, and the
// web host (src-main/host/cli.ts) imports the same file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} dir */
export function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The newest modification time below any of `dirs` (folder names under `root`).
 * @param {string} root
 * @param {readonly string[]} dirs
 */
export function newestSourceMtime(root, dirs) {
  return Math.max(0, ...dirs.map((d) => newestMtime(join(root, d))));
}
