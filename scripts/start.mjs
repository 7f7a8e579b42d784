#!/usr/bin/env node
// `npm start`: build what is missing, then run the console. Electron when its binary is
// installed; otherwise the web host plus the system browser (or the URL printed), saying which
// and why — Electron's binary cannot be downloaded on every machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const marker = resolve(root, 'out/renderer/index.html');
  const sources = Math.max(
    ...['src-renderer', 'src-shared', 'src-main', 'src-preload'].map((d) => newestMtime(resolve(root, d))),
  );
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  console.log('Building the console (electron-vite build)…');
  const r = spawnSync(
    process.execPath,
    [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Path of Electron's binary if it was really installed (the npm package exists even when the download failed). */
function electronBinary() {
  const pkgDir = resolve(root, 'node_modules/electron');
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

buildIfStale();
const forceWeb = process.argv.includes('--web') || process.env.GRID_CONSOLE_HOST === 'web';
const bin = forceWeb ? null : electronBinary();
let child;
if (bin) {
  console.log('Starting the Electron desktop app.');
  child = spawn(bin, [root], { stdio: 'inherit' });
} else {
  console.log(
    forceWeb
      ? 'Starting the web host (requested with --web).'
      : "Electron's binary is not installed on this machine (its download failed or was skipped), so the console runs in the web host: the same services, served to your browser on 127.0.0.1.",
  );
  child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src-main/host/cli.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
