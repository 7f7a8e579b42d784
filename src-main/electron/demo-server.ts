// Demo mode's parent side: forks the embedded demo server (scripts/demo-server-process.ts) in an Electron
// utility process and resolves with its loopback URL once it listens. The fuse RunAsNode is off
// in the packaged app, so child_process.fork of the Electron binary is not an option; a utility
// process is Electron's own Node child.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { DemoServerMessage } from '../../scripts/demo-server-process';

export interface DemoServerOptions {
  /** The built entry (out/main/demo-server.js). */
  entry: string;
  /** userData/demo: the server's SQLite store, photos and the generated dataset. */
  dataDir: string;
  /** The demo inputs (resources/demo; process.resourcesPath/demo when packaged). */
  resourcesDir: string;
  /** A ready dataset to use instead of generating one (tests). */
  datasetDir?: string;
  log?: (line: string) => void;
}

export class DemoServer {
  private child: UtilityProcess | null = null;
  private started: Promise<string> | null = null;

  constructor(private readonly options: DemoServerOptions) {}

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the server once; the URL it listens on. */
  start(): Promise<string> {
    this.started ??= new Promise<string>((resolve, reject) => {
      const args = ['--data-dir', this.options.dataDir, '--resources', this.options.resourcesDir];
      if (this.options.datasetDir) args.push('--dataset', this.options.datasetDir);
      const child = utilityProcess.fork(this.options.entry, args, {
        serviceName: 'Grid Console demo server',
        stdio: 'inherit',
      });
      this.child = child;
      child.on('message', (message: DemoServerMessage) => {
        if (message.type === 'ready') resolve(message.url);
        else if (message.type === 'failed') reject(new Error(`the demo server failed: ${message.message}`));
        else this.options.log?.(`[demo server] ${message.line}`);
      });
      child.on('exit', (code) => {
        this.child = null;
        this.started = null;
        reject(new Error(`the demo server exited (${code}) before it was ready`));
      });
    });
    return this.started;
  }

  stop(): void {
    if (!this.child) return;
    this.child.postMessage({ type: 'stop' });
    const child = this.child;
    setTimeout(() => child.kill(), 3000).unref();
  }
}
