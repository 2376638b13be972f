// Builds the admin UI into ../dist/ui, served by the control plane at /ui (no CDN: every asset is local and hashed).
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/ui/',
  plugins: [preact()],
  build: { outDir: '../dist/ui', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 300 },
});
