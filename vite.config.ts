import { defineConfig, type Plugin } from 'vite';

/**
 * The built page's Content-Security-Policy: nothing may be fetched from, sent to, or loaded from
 * another origin. 'unsafe-eval' is there for one reason: tfjs-vis 1.5.1 draws with vega 5.20,
 * which compiles chart expressions with Function(); vega's eval-free interpreter needs a newer
 * vega and an option tfjs-vis does not pass. 'wasm-unsafe-eval' lets tfjs compile its WASM backend.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  // Inline styles: the page's own <style> and the ones tfjs-vis injects for its charts.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Adds the policy to the built pages only: Vite's dev server needs its own connections. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'gtzan-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  // Relative asset paths so the built page works from any folder or static host.
  base: './',
  plugins: [contentSecurityPolicy()],
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
