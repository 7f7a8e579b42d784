// Issue 18 #10: every demo seat the README names really logs in, and the web host's CLI prints
// its help and exits instead of starting a host.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../support/server-client';
import { REPO_ROOT } from '../support/datasets';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.dispose();
});

describe('README', () => {
  it('names only demo seats that exist: each logs in with the demo password', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const seats = [
      ...readme.matchAll(/`((?:city|\d{9}|\d{12})\.(?:dispatcher|leader|checker|operator))`/g),
    ].map((m) => m[1]);
    expect(seats).toContain('city.dispatcher');
    expect(seats.some((s) => s.endsWith('.operator'))).toBe(true);
    for (const seat of new Set(seats)) {
      await expect(login(t.server, seat), seat).resolves.toMatch(/\S/);
    }
  });
});

describe('src-main/host/cli.ts', () => {
  it('--help prints the usage and exits 0 without starting a host', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'src-main/host/cli.ts'), '--help'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          GRID_CONSOLE_NO_BROWSER: '1',
          GRID_CONSOLE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gc-cli-help-')),
          GRID_CONSOLE_SERVER_URL: t.server.url,
        },
      },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    // A host would keep running: the test's own timeout fails it then.
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toContain('Usage:');
    expect(out).toContain('GRID_CONSOLE_SERVER_URL');
    expect(out).not.toContain('[console]'); // what a starting host logs
    expect(code).toBe(0);
  }, 30_000);
});
