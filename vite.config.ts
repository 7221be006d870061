import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Resolved from this file, not the working directory: the build and the browser tests run it from anywhere.
const web = (file = '') => fileURLToPath(new URL(`./web/${file}`, import.meta.url));

const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  root: web(), // = 'web' next to this file
  // Absolute asset paths: the server serves the same HTML for `/`, `/login` and `/field`.
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // maplibre-gl alone is over the default 500 kB warning; the console loads it once and caches it.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: { index: web('index.html'), field: web('field.html') },
    },
  },
  server: {
    proxy: {
      '/api': { target: backend, ws: true, changeOrigin: true },
      '/tiles': { target: backend, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: backend, ws: true, changeOrigin: true },
      '/tiles': { target: backend, changeOrigin: true },
    },
  },
});
