import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Built to static files that the gateway serves at `/` (WEB_APP_DIR). The dev server forwards the
// API to a gateway started by `npm start`, so the page and the API share one origin either way.
export default defineConfig({
  root: here,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    port: 5173,
    proxy: { '/v1': { target: process.env['OO_GATEWAY_URL'] ?? 'http://localhost:8080', changeOrigin: false } },
  },
});
