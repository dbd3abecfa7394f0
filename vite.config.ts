import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console: `src/web` is the app's root (index.html lives there); the build goes to
 * `dist/web`, which the server serves at `/`. In development (`npm run dev:web`) the API and the
 * live WebSocket are proxied to a server on port 3000 (`npm run serve`).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web/', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true, changeOrigin: false } },
  },
});
