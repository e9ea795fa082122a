/**
 * The web page: `npm run build:ui` bundles ui/ into ui/dist (index.html + hashed
 * files under assets/). Paths are relative (`./assets/...`), so the page works at `/`
 * locally and behind API Gateway alike.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The API Lambda serves these files: keep the count small and the names hashed.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
    sourcemap: false,
  },
});
