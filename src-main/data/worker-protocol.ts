// Messages between the main event loop and the data worker. Every SQLite call happens in the
// worker; main only forwards calls (by their contract name, see pipeline.ts) and events, so a
// long apply never stalls a window.
import type { WorkerCallName } from './pipeline';
import type { SyncChange } from './sync-engine';

export type ToWorker =
  { kind: 'call'; id: number; method: WorkerCallName; args: unknown[] } | { kind: 'close'; id: number };

export type FromWorker =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: { code: string; message: string } }
  | { kind: 'change'; change: SyncChange }
  | { kind: 'log'; line: string };

export interface WorkerConfig {
  dataDir: string;
  serverUrl: string;
  /** The cluster's other nodes, in order (DataServiceOptions.alternateServerUrls). */
  alternateServerUrls?: string[];
  /** base64 AES-256 key that seals the session token at rest (see secret-box.ts). */
  sessionKey: string;
  secretKind: string;
  /** A PEM file of CA certificates to trust for an https server (the workstation settings). */
  caFile?: string;
}
