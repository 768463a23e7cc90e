// SPDX-License-Identifier: MIT
// Vite build of the bienphong web UI into web/dist, which `bienphong serve`
// serves at "/". Every asset is emitted as a file (nothing inlined as data:
// URIs, nothing fetched from the internet) so a strict Content-Security-Policy
// of 'self' holds.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': process.env.BP_API ?? 'http://127.0.0.1:8080' },
  },
});
