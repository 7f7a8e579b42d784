// Main's handle on the data worker: typed calls that resolve with the worker's answer, and the
// worker's change events. The composition root says where the worker's entry file is (the built
// out/main/data-worker.js in Electron, the TypeScript source under tsx in the web host).
import { Worker } from 'node:worker_threads';
import type { WorkerAnswer, WorkerArgs, WorkerCallName } from './pipeline';
import type { SyncChange } from './sync-engine';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol';

export interface DataClientOptions extends WorkerConfig {
  /** The worker's entry: built JavaScript, or a TypeScript source run through tsx. */
  workerFile: string;
  onChange?: (change: SyncChange) => void;
  log?: (line: string) => void;
}

export class DataClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  constructor(private readonly options: DataClientOptions) {
    const fromSource = options.workerFile.endsWith('.ts');
    const config: WorkerConfig & { tsEntry?: string } = {
      dataDir: options.dataDir,
      serverUrl: options.serverUrl,
      ...(options.alternateServerUrls?.length ? { alternateServerUrls: options.alternateServerUrls } : {}),
      sessionKey: options.sessionKey,
      secretKind: options.secretKind,
      ...(options.caFile ? { caFile: options.caFile } : {}),
    };
    if (fromSource) config.tsEntry = options.workerFile;
    this.worker = new Worker(
      fromSource ? new URL('./ts-worker-bootstrap.mjs', import.meta.url) : options.workerFile,
      {
        workerData: config,
      },
    );
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (e) => this.options.log?.(`data worker error: ${e.message}`));
    this.worker.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`data worker exited (${code})`));
      this.pending.clear();
    });
  }

  /** A call by its contract name (or an internal one, pipeline.ts), answered by the worker. */
  call<K extends WorkerCallName>(name: K, ...args: WorkerArgs<K>): Promise<WorkerAnswer<K>> {
    return this.send({ kind: 'call', id: this.nextId++, method: name, args }) as Promise<WorkerAnswer<K>>;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    await this.send({ kind: 'close', id: this.nextId++ });
    await this.worker.terminate();
  }

  private send(msg: ToWorker): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('data worker is not running'));
    return new Promise((resolve, reject) => {
      this.pending.set(msg.id, { resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  private receive(m: FromWorker): void {
    if (m.kind === 'change') return this.options.onChange?.(m.change);
    if (m.kind === 'log') return this.options.log?.(m.line);
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
  }
}
