#!/usr/bin/env node
// `npm start`: build what is missing, then run the console. Electron when its binary is
// installed; otherwise the web host plus the system browser (or the URL printed), saying which
// and why — Electron's binary cannot be downloaded on every machine.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newestSourceMtime } from '../src-node/fs/newest-mtime.mjs';

const root = resolve(import.meta.dirname, '..');

/** Builds the console when its sources are newer than the build; resolves when done. */
function buildIfStale() {
  const marker = resolve(root, 'out/renderer/index.html');
  const sources = newestSourceMtime(root, [
    'src-renderer',
    'src-shared',
    'src-node',
    'src-main',
    'src-preload',
  ]);
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return Promise.resolve();
  console.log('Building the console (electron-vite build)…');
  const build = spawn(
    process.execPath,
    [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { cwd: root, stdio: 'inherit' },
  );
  children.push(build);
  return new Promise((done, failed) =>
    build.on('exit', (code) =>
      code === 0 ? done() : failed(new Error(`the console build failed (exit ${code})`)),
    ),
  );
}

/** Path of Electron's binary if it was really installed (the npm package exists even when the download failed). */
function electronBinary() {
  const pkgDir = resolve(root, 'node_modules/electron');
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const SERVER_PORT = Number(process.env.GRID_CONSOLE_SERVER_PORT ?? 7420);
const SERVER_URL = process.env.GRID_CONSOLE_SERVER_URL ?? `http://127.0.0.1:${SERVER_PORT}`;
const children = [];

async function serverAnswers(url) {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1500) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The embedded default: the reference server with the Dongguan demo dataset and the field simulator. */
async function ensureServer() {
  if (await serverAnswers(SERVER_URL)) {
    console.log(`Using the dispatch server already running at ${SERVER_URL}.`);
    return;
  }
  if (process.env.GRID_CONSOLE_SERVER_URL) {
    console.log(
      `The dispatch server at ${SERVER_URL} does not answer; the console starts offline and keeps retrying.`,
    );
    return;
  }
  console.log(
    'Starting the embedded dispatch server (the first start generates the demo dataset: about 15 s)…',
  );
  const server = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(root, 'scripts/server.ts'),
      '--port',
      String(SERVER_PORT),
      '--simulator',
      'on',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(server);
  await new Promise((ready, failed) => {
    let buffer = '';
    server.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      if (buffer.includes('[server] ready:')) ready();
    });
    server.on('exit', (code) =>
      failed(new Error(`the dispatch server exited (${code}) before it was ready`)),
    );
  });
}

const t0 = Date.now();
try {
  // The build and the server's first start (dataset, import, briefing) are independent: side by
  // side, the first start waits for the longer of the two, not their sum.
  await Promise.all([buildIfStale(), ensureServer()]);
} catch (e) {
  console.error(e.message);
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(1);
}
const forceWeb = process.argv.includes('--web') || process.env.GRID_CONSOLE_HOST === 'web';
const bin = forceWeb ? null : electronBinary();
const env = { ...process.env, GRID_CONSOLE_SERVER_URL: SERVER_URL };
let child;
if (bin) {
  console.log('Starting the Electron desktop app.');
  child = spawn(bin, [root], { stdio: 'inherit', env });
} else {
  console.log(
    forceWeb
      ? 'Starting the web host (requested with --web).'
      : "Electron's binary is not installed on this machine (its download failed or was skipped), so the console runs in the web host: the same services, served to your browser on 127.0.0.1.",
  );
  // The web host as built above (plain JavaScript, like Electron's main): no tsx at launch.
  const builtHost = resolve(root, 'out/main/web-host.js');
  const hostArgs = existsSync(builtHost)
    ? [builtHost]
    : ['--import', 'tsx', resolve(root, 'src-main/host/cli.ts')];
  child = spawn(process.execPath, hostArgs, {
    cwd: root,
    stdio: 'inherit',
    env,
  });
}
children.push(child);
console.log(`[start] server and console build ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const stopAll = (sig) => {
  for (const c of children) if (c.exitCode === null) c.kill(sig);
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll(sig));
child.on('exit', (code) => {
  stopAll('SIGTERM');
  process.exit(code ?? 0);
});
