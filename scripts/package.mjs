#!/usr/bin/env node
// `npm run package`: installers via electron-builder (AppImage/deb/NSIS, electron-builder.yml).
// better-sqlite3 must be compiled for Electron's ABI inside the package, but node_modules must
// stay compiled for Node (tests, server, web host), so: rebuild for Electron → package →
// rebuild for Node. Skipped cleanly, with the reason, when Electron's binary is absent.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules/electron');
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;

if (!binary || !existsSync(binary)) {
  console.log(
    "Packaging skipped: Electron's binary is not installed here (its download is blocked), so " +
      'better-sqlite3 cannot be rebuilt for Electron and electron-builder cannot run. Everything else ' +
      'runs and is tested under Node and the web host.',
  );
  process.exit(0);
}

const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const bin = (name) => join(root, 'node_modules/.bin', name);
const run = (cmd, args) => {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
};

let status = run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
if (status === 0)
  status = run(bin('electron-rebuild'), [
    '--version',
    electronVersion,
    '--only',
    'better-sqlite3',
    '--force',
  ]);
if (status === 0)
  status = run(bin('electron-builder'), ['--config', 'electron-builder.yml', ...process.argv.slice(2)]);
// Always put the Node build back, even when packaging failed.
const back = run('npm', ['rebuild', 'better-sqlite3']);
process.exit(status || back);
