// Starts a TypeScript worker entry under tsx (the web host and tests run from source; the
// Electron build bundles the worker to JavaScript and does not use this file).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.tsEntry, import.meta.url);
