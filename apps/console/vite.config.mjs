// The staff console's build: `npm run build` (scripts/build.js) runs it only when apps/console changed.
// Served by the API under /console/ (apps/api/src/http/console-static.ts): hashed file names under
// assets/ are cached for a year, index.html never. Everything is bundled: no CDN.
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  // No inline scripts or styles in the output: the API's CSP allows scripts from 'self' only.
  build: {
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    // The reports chunk carries ECharts (about 560 kB, 186 kB gzipped): loaded lazily, never on first load.
    chunkSizeWarningLimit: 600,
    emptyOutDir: true,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
