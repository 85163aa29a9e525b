/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves the built client at `/`, so every API URL is relative; in `npm run dev`
// the same URLs are proxied to a server on :8080 (WebSocket upgrades included).
const api = 'http://localhost:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // React DOM and Apollo Client are most of it (about 165 kB gzipped); one chunk loads fastest here.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: true },
      '/dev': { target: api, changeOrigin: true },
      '/auth': { target: api, changeOrigin: true },
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
