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
      externalizeDeps: true,
      rolldownOptions: {
        // The data worker is its own entry: it runs in a worker thread beside the main loop.
        input: {
          index: resolve(root, 'src-main/electron/index.ts'),
          'data-worker': resolve(root, 'src-main/data/data-worker.ts'),
          // Demo mode: the embedded dispatch server, forked as an Electron utility process.
          'demo-server': resolve(root, 'scripts/demo-server-process.ts'),
        },
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
