import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset paths so the built page works from any folder or static host.
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // The lab, and a self-check page that verifies the fused LSTM on this browser's backends.
      input: { main: 'index.html', selfCheck: 'self-check.html' },
    },
  },
});
