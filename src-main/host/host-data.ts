// The web host's data worker, started on its own: the CLI starts it before it loads the rest of
// the host (the contract's schemas, the WebSocket server), because the worker's start (its
// modules, then the seat's cache) is what a cold start waits for longest (issue 19).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startMark } from '../app/start-marks';
import { DataClient } from '../data/data-client';
import { fileSessionKey } from '../data/secret-box';
import type { SyncChange } from '../data/sync-engine';

export interface HostDataOptions {
  rootDir: string;
  /** The central dispatch server; without it there is no data worker. */
  serverUrl?: string;
  /** PEM file of the CA(s) to trust when serverUrl is https (GRID_CONSOLE_CA_FILE). */
  caFile?: string;
  /** Where the console keeps its cache, outbox and session (default <root>/.data/console). */
  dataDir?: string;
  log?: (line: string) => void;
  /** The data worker's entry: the TypeScript source (default, run through tsx) or a built bundle. */
  workerFile?: string;
}

export interface HostData {
  client: DataClient;
  /** Where the worker's changes go; those that came before a listener are handed to it. */
  listen(listener: (change: SyncChange) => void): void;
}

export function startHostData(options: HostDataOptions): HostData | null {
  if (!options.serverUrl) return null;
  const dataDir = options.dataDir ?? resolve(options.rootDir, '.data/console');
  mkdirSync(dataDir, { recursive: true });
  let early: SyncChange[] | null = [];
  let listener: ((change: SyncChange) => void) | null = null;
  startMark('host:worker-spawn');
  const client = new DataClient({
    dataDir,
    serverUrl: options.serverUrl,
    ...(options.caFile ? { caFile: options.caFile } : {}),
    workerFile: options.workerFile ?? resolve(options.rootDir, 'src-main/data/data-worker.ts'),
    sessionKey: fileSessionKey(join(dataDir, 'session.key')).toString('base64'),
    secretKind: 'aes-256-gcm/file-0600',
    onChange: (change) => (listener ? listener(change) : early?.push(change)),
    log: options.log,
  });
  return {
    client,
    listen(l) {
      listener = l;
      for (const change of early ?? []) l(change);
      early = null;
    },
  };
}
