import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

// main = src-main (Electron entry in src-main/electron), preload = src-preload, renderer = src-renderer.
// The renderer build is also what the web host serves (src-main/host), so it must not assume Electron.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // zod is bundled: as a package it is ~100 ES modules, 0.3 s of a cold start to load in the
      // data worker (issue 19); bundled, its used part is parsed with the rest of the file. The
      // same for the data worker's socket.io client (≈ 40 modules of five packages, 0.15–0.2 s
      // before the worker could answer its first call).
      externalizeDeps: {
        exclude: [
          'zod',
          'socket.io-client',
          'engine.io-client',
          'engine.io-parser',
          'socket.io-parser',
          '@socket.io/component-emitter',
          'debug',
          'ms',
          'xmlhttprequest-ssl',
        ],
      },
      rolldownOptions: {
        // The data worker is its own entry: it runs in a worker thread beside the main loop.
        input: {
          index: resolve(root, 'src-main/electron/index.ts'),
          'data-worker': resolve(root, 'src-main/data/data-worker.ts'),
          // Demo mode: the embedded dispatch server, forked as an Electron utility process.
          'demo-server': resolve(root, 'scripts/demo-server-process.ts'),
          // The web host (npm start without Electron, bench/cold-start) as plain JavaScript: the
          // same start as Electron's bundled main, without tsx compiling the sources at launch.
          'web-host': resolve(root, 'src-main/host/cli.ts'),
        },
        // No JSDoc in the bundles (licence and pure annotations stay): less to parse at start, and
        // a bundled package's usage example is not read as an import of it (packaging.test.ts).
        output: { comments: { jsdoc: false, legal: true, annotation: true } },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        // Sandboxed preloads cannot load ES modules: emit one self-contained CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // Minified: the page parses a third of the bytes (cold start, issue 19 item 5).
      minify: true,
      chunkSizeWarningLimit: 4096,
      rolldownOptions: {
        // map-bench.html: the situation map over a synthetic city, for bench/map.ts.
        input: {
          index: resolve(root, 'src-renderer/index.html'),
          'map-bench': resolve(root, 'src-renderer/map-bench.html'),
        },
      },
    },
  },
});
