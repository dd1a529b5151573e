// Vite 7 with esbuild's automatic JSX runtime pointed at Preact: no framework plugin needed
// (client/README.md says why this toolchain). Three pages: `/` (how to join), `/play/` (the game)
// and `/operator/` (the operator page, docs/client.md).
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        play: resolve(import.meta.dirname, 'play/index.html'),
        operator: resolve(import.meta.dirname, 'operator/index.html'),
      },
    },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
