// Vite 7 with esbuild's automatic JSX runtime pointed at Preact: no framework plugin needed
// (client/README.md says why this toolchain). Two pages: `/` (how to join) and `/play/` (the game).
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
      },
    },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
