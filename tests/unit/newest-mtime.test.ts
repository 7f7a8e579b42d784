// The build-staleness check of `npm start` and the web host (src-node/fs/newest-mtime.mjs), on
// real files with set modification times.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newestMtime, newestSourceMtime } from '../../src-node/fs/newest-mtime.mjs';

const touch = (file: string, seconds: number): void => {
  writeFileSync(file, 'x');
  utimesSync(file, seconds, seconds);
};

describe('newestMtime', () => {
  it('finds the newest file at any depth, and 0 for a folder that is not there', () => {
    const root = mkdtempSync(join(tmpdir(), 'gc-mtime-'));
    mkdirSync(join(root, 'a', 'deep', 'er'), { recursive: true });
    mkdirSync(join(root, 'b'));
    touch(join(root, 'a', 'top.ts'), 1_000);
    touch(join(root, 'a', 'deep', 'er', 'leaf.ts'), 3_000);
    touch(join(root, 'b', 'other.ts'), 2_000);
    expect(newestMtime(join(root, 'a'))).toBe(3_000_000);
    expect(newestMtime(join(root, 'b'))).toBe(2_000_000);
    expect(newestMtime(join(root, 'missing'))).toBe(0);
    expect(newestSourceMtime(root, ['b', 'missing'])).toBe(2_000_000);
    expect(newestSourceMtime(root, ['b', 'a'])).toBe(3_000_000);
    expect(newestSourceMtime(root, [])).toBe(0);
  });
});
