// The browser client's build: Preact (3 kB runtime, React's API) through Vite.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  // The SDK is built from its sources into the bundle (no separate build step before build:web).
  resolve: { alias: { '@parley/sdk': new URL('../packages/sdk/src/index.ts', import.meta.url).pathname } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
  server: { proxy: { '/v1': { target: 'http://127.0.0.1:8080', ws: true } } },
});
