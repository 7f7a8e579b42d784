// Packaging checked without Electron's binary (issue 19 item 4, issue 14 fuses): the
// electron-builder config passes electron-builder's own schema, sets the fuses, unpacks
// better-sqlite3 from the asar and ships the demo inputs; the build output (out/) has every
// entry the app loads, is all inside the `files` globs, and imports only runtime dependencies
// (a devDependency would be missing from the installed app); `npm run package` skips cleanly.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// electron-builder's own modules (installed with it): its YAML reader, schema and glob matcher.
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { minimatch } = require('minimatch') as {
  minimatch: (path: string, pattern: string, options?: { dot?: boolean }) => boolean;
};

interface BuilderConfig {
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
}

const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function newest(dirs: string[]): number {
  return Math.max(...dirs.flatMap((d) => walk(join(ROOT, d)).map((f) => statSync(f).mtimeMs)));
}

/** Does a path (relative to the app root) go into the package under the `files` globs? */
function packaged(path: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(path, pattern, { dot: true })) included = true;
  }
  return included;
}

beforeAll(() => {
  // The build output is what gets packaged: build it when missing or older than its sources.
  const marker = join(ROOT, 'out/main/index.js');
  if (
    existsSync(marker) &&
    existsSync(join(ROOT, 'out/main/demo-server.js')) &&
    statSync(marker).mtimeMs >= newest(['src-main', 'src-shared', 'src-preload', 'scripts', 'src-server'])
  )
    return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}, 300_000);

describe('packaging without Electron', () => {
  it("passes electron-builder's own configuration schema, and a typo would not", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, electronFuses: { runAsNod: false } }, new DebugLogger(false)),
    ).rejects.toThrow(/electronFuses/);
  });

  it('sets the fuses: no RunAsNode, encrypted cookies, ASAR integrity, only the ASAR app, no inspect/NODE_OPTIONS', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('unpacks better-sqlite3 (a native module) from the asar and leaves the rest inside', () => {
    const unpacked = (p: string): boolean => config.asarUnpack.some((g) => minimatch(p, g, { dot: true }));
    const native = walk(join(ROOT, 'node_modules/better-sqlite3'))
      .map((f) => relative(ROOT, f))
      .filter((f) => f.endsWith('.node'));
    expect(native.length).toBeGreaterThan(0);
    for (const f of native) expect(unpacked(f), f).toBe(true);
    expect(unpacked('node_modules/better-sqlite3/lib/database.js')).toBe(true);
    expect(unpacked('out/main/index.js')).toBe(false);
    expect(unpacked('out/renderer/index.html')).toBe(false);
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
    // Rebuilt for Electron's ABI by scripts/package.mjs, not by electron-builder (no binary here).
    expect(config.npmRebuild).toBe(false);
  });

  it('ships the demo inputs as extra resources (demo mode generates its dataset from them)', () => {
    expect(config.extraResources).toContainEqual(
      expect.objectContaining({ from: 'resources/demo', to: 'demo' }),
    );
    for (const f of [
      'dongguan-divisions.csv',
      'dongguan-outline.geojson',
      'categories.json',
      'departments.json',
    ])
      expect(existsSync(join(ROOT, 'resources/demo', f)), f).toBe(true);
  });

  it('builds every entry the app loads, all inside the packaged files', () => {
    const entries = [
      pkg.main,
      'out/main/data-worker.js',
      'out/main/demo-server.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
    ];
    expect(pkg.main).toBe('out/main/index.js');
    for (const e of entries) {
      expect(existsSync(join(ROOT, e)), e).toBe(true);
      expect(packaged(e), e).toBe(true);
    }
    expect(packaged('package.json')).toBe(true);
    const out = walk(join(ROOT, 'out')).map((f) => relative(ROOT, f));
    expect(out.filter((f) => f.endsWith('.map')).every((f) => !packaged(f))).toBe(true);
    expect(packaged('src-main/electron/shell.ts')).toBe(false);
    expect(packaged('.data/console/cache.sqlite')).toBe(false);
    // The sandboxed preload is one CommonJS file: it requires electron and nothing else.
    const preload = readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    // The renderer is served from app://, never loaded as a file.
    const main = readFileSync(join(ROOT, 'out/main/index.js'), 'utf8');
    const all = [main, ...walk(join(ROOT, 'out/main/chunks')).map((f) => readFileSync(f, 'utf8'))].join('\n');
    expect(all).toContain('registerSchemesAsPrivileged');
    expect(all).not.toMatch(/\.loadFile\(/);
    expect(all).not.toMatch(/protocol\.handle\(\s*["']file["']/);
  });

  it('imports only runtime dependencies from the main bundles (devDependencies are not installed in the app)', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const files = walk(join(ROOT, 'out/main')).filter((f) => f.endsWith('.js'));
    const bare = new Set<string>();
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)["']([^"'.][^"']*)["']/g,
      )) {
        const spec = m[1];
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!builtins.has(spec) && !builtins.has(name)) bare.add(name);
      }
    }
    expect(bare.has('better-sqlite3')).toBe(true);
    for (const name of bare) {
      if (name === 'electron') continue; // provided by the runtime
      expect(pkg.dependencies[name], `${name} is imported by out/main but is not a dependency`).toBeDefined();
    }
  });

  it('`npm run package` skips cleanly, saying why, without Electron’s binary', () => {
    const pathFile = join(ROOT, 'node_modules/electron/path.txt');
    const binary = existsSync(pathFile)
      ? join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
      : null;
    if (binary && existsSync(binary)) return; // a machine with Electron packages for real
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/package.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Packaging skipped: Electron's binary is not installed/);
    expect(existsSync(join(ROOT, 'release'))).toBe(false);
  });
});
