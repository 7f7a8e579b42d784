// The dispatch server started the way `npm start` and `npm run server` start it: a child Node
// process running scripts/server.ts under tsx (scripts/start.mjs spawns exactly this). Tests that
// must catch what only that path does wrong (module interop under tsx, argument parsing, the
// ready line) use this instead of the in-process startTestServer.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from './datasets';

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server printed (stdout and stderr), for diagnostics and assertions. */
  output(): string;
  /** A read-only view of the server's store (the server keeps writing through WAL). */
  readDb(): Database.Database;
  stop(): Promise<void>;
}

export async function startServerProcess(opts: {
  dataDir: string;
  datasetDir: string;
  simulator?: 'on' | 'off';
  env?: NodeJS.ProcessEnv;
  /** More flags for scripts/server.ts (e.g. --tls-cert/--tls-key). */
  args?: string[];
}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(REPO_ROOT, 'scripts/server.ts'),
      '--port',
      '0',
      '--data-dir',
      opts.dataDir,
      '--dataset',
      opts.datasetDir,
      '--simulator',
      opts.simulator ?? 'off',
      ...(opts.args ?? []),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } },
  );
  let out = '';
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((ready, failed) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /\[server\] ready: (https?:\/\/[^\s]+)/.exec(out);
      if (m) ready(m[1]);
    });
    child.once('exit', (code) =>
      failed(new Error(`scripts/server.ts exited (${code}) before it was ready:\n${out}`)),
    );
  });
  let db: Database.Database | null = null;
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => out,
    readDb() {
      db ??= new Database(resolve(opts.dataDir, 'server.sqlite'), { readonly: true });
      return db;
    },
    async stop() {
      db?.close();
      db = null;
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
