// One Vite configuration, four targets chosen by --mode:
//   renderer (default)  the React UI            → dist/renderer/
//   main                Electron main process   → dist/electron/main.cjs
//   preload             sandboxed preload       → dist/electron/preload.cjs (one CommonJS file, no imports)
//   peer                a headless peer         → dist/peer/headless-peer.mjs (tests and benchmarks),
//                       and the LAN discovery probe → dist/peer/discovery-probe.mjs
//   host                browser mode's host     → dist/host/browser-host.mjs, and npm start's launcher → dist/host/launch.mjs
import { builtinModules } from 'node:module';
import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

function nodeTarget(input: Record<string, string>, outDir: string, extension: 'cjs' | 'mjs', external: (string | RegExp)[]): UserConfig {
  return {
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: true,
      ssr: true,
      rolldownOptions: {
        input,
        external,
        output: {
          format: extension === 'cjs' ? 'cjs' : 'es',
          entryFileNames: `[name].${extension}`,
          chunkFileNames: `[name]-[hash].${extension}`,
        },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  };
}

export default defineConfig(({ mode }) => {
  switch (mode) {
    case 'main':
      return nodeTarget({ main: 'electron/main.ts' }, 'dist/electron', 'cjs', ['electron', ...nodeBuiltins]);
    case 'preload':
      // A sandboxed preload may require only 'electron' (and a few polyfilled modules), so everything
      // else it uses is bundled in.
      return nodeTarget({ preload: 'electron/preload.ts' }, 'dist/electron', 'cjs', ['electron']);
    case 'peer':
      // Headless peers for integration tests and benchmarks; the native WebRTC module stays outside.
      return nodeTarget(
        { 'headless-peer': 'electron/peer/headless-peer.ts', 'discovery-probe': 'electron/discovery/probe.ts' },
        'dist/peer',
        'mjs',
        [...nodeBuiltins, 'ws', '@roamhq/wrtc'],
      );
    case 'host':
      return nodeTarget({ 'browser-host': 'electron/host/main.ts', launch: 'electron/host/launch.ts' }, 'dist/host', 'mjs', [
        ...nodeBuiltins,
        'ws',
      ]);
    default:
      return {
        root: 'renderer',
        base: './',
        plugins: [react()],
        // The bundle is read from disk, never downloaded, so one chunk of ~1.4 MB is acceptable for now.
        build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2023', sourcemap: true, chunkSizeWarningLimit: 2048 },
        server: { host: '127.0.0.1' },
      };
  }
});
