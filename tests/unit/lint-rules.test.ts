// The folder table of docs/architecture.md is enforced by lint: these fixtures are linted as if
// they lived in each folder, and the per-folder import bans must fire (or stay quiet).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const fixture = (name: string): string => readFileSync(resolve(ROOT, 'tests/fixtures/lint', name), 'utf8');

// Type-aware rules need files that exist in a tsconfig; the import bans do not, so lint the
// fixtures text-only under the real config.
const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function ruleHits(source: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(ROOT, filePath) });
  return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('per-folder import bans', () => {
  it('flags node:fs in the renderer', async () => {
    const hits = await ruleHits(fixture('renderer-imports-fs.ts'), 'src-renderer/src/bad.ts');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(/^no-restricted-imports: .*node:fs/);
  });

  it('flags node:fs in src-shared and the preload but not in the server or main', async () => {
    const src = fixture('renderer-imports-fs.ts');
    expect(await ruleHits(src, 'src-shared/domain/bad.ts')).toEqual([
      expect.stringMatching(/no-restricted-imports/),
    ]);
    expect(await ruleHits(src, 'src-preload/bad.ts')).toEqual([
      expect.stringMatching(/no-restricted-imports/),
    ]);
    expect(await ruleHits(src, 'src-server/ok.ts')).toEqual([]);
    expect(await ruleHits(src, 'src-main/app/ok.ts')).toEqual([]);
  });

  it('allows electron only in src-main/electron and the preload', async () => {
    const src = fixture('imports-electron.ts');
    expect(await ruleHits(src, 'src-main/electron/ok.ts')).toEqual([]);
    expect(await ruleHits(src, 'src-preload/ok.ts')).toEqual([]);
    for (const where of [
      'src-main/app/bad.ts',
      'src-main/host/bad.ts',
      'src-server/bad.ts',
      'src-shared/bad.ts',
      'src-node/bad.ts',
      'src-renderer/src/bad.ts',
      'scripts/bad.ts',
    ]) {
      const hits = await ruleHits(src, where);
      expect(hits, where).toEqual([expect.stringMatching(/^no-restricted-imports: .*electron/)]);
    }
  });

  it('flags server packages and cross-process imports in the renderer', async () => {
    const hits = await ruleHits(fixture('renderer-imports-server.ts'), 'src-renderer/src/bad.ts');
    expect(hits).toHaveLength(2);
    expect(hits.join('\n')).toMatch(/better-sqlite3/);
    expect(hits.join('\n')).toMatch(/src-server/);
  });

  it('flags DOM globals in src-shared', async () => {
    const hits = await ruleHits(fixture('shared-uses-window.ts'), 'src-shared/domain/bad.ts');
    expect(hits).toEqual([expect.stringMatching(/^no-restricted-globals: .*window/)]);
    expect(await ruleHits(fixture('shared-uses-window.ts'), 'src-renderer/src/ok.ts')).toEqual([]);
  });

  it('lets main and the server (not shared, the renderer or the preload) import src-node', async () => {
    const src = fixture('imports-node-layer.ts');
    expect(await ruleHits(src, 'src-main/data/ok.ts')).toEqual([]);
    expect(await ruleHits(src, 'src-server/store/ok.ts')).toEqual([]);
    expect(await ruleHits(src, 'scripts/ok.ts')).toEqual([]);
    for (const where of ['src-shared/domain/bad.ts', 'src-renderer/src/bad.ts', 'src-preload/bad.ts']) {
      expect(await ruleHits(src, where), where).toEqual([
        expect.stringMatching(/^no-restricted-imports: .*src-node/),
      ]);
    }
  });

  it('keeps src-node plain Node: no electron, nothing of main or the server', async () => {
    expect(await ruleHits(fixture('renderer-imports-fs.ts'), 'src-node/fs/ok.ts')).toEqual([]);
    expect(await ruleHits(fixture('imports-electron.ts'), 'src-node/bad.ts')).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*electron/),
    ]);
    expect(await ruleHits(fixture('node-imports-main.ts'), 'src-node/bad.ts')).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*src-main/),
    ]);
  });

  it('lets src-shared import zod', async () => {
    expect(await ruleHits(fixture('clean-shared.ts'), 'src-shared/domain/ok.ts')).toEqual([]);
  });
});
