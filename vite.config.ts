import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { contentVersion, serviceWorkerSource } from './scripts/service-worker';

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

/**
 * Cross-origin isolation: with it the page and its workers have SharedArrayBuffer, which the CNNs'
 * data-parallel training hands its stages over in (src/model/engines/simd-cnn/stage-exchange.ts) instead
 * of messages. The lab loads nothing from other origins, so requiring CORP costs nothing. The
 * service worker adds the same two headers to what it serves, for hosts that cannot set headers.
 */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The same policy as response headers, for what a meta tag cannot reach: workers take their policy
 * from the headers of their own script, and `frame-ancestors` (no framing by other sites) works
 * only as a header. `_headers` is the format of common static hosts (Netlify, Cloudflare Pages);
 * the preview server and the tests' server send the same.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  ...ISOLATION_HEADERS,
};

function securityHeadersFile(): Plugin {
  return {
    name: 'gtzan-security-headers',
    apply: 'build',
    generateBundle() {
      const lines = ['/*', ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `  ${k}: ${v}`), ''];
      this.emitFile({ type: 'asset', fileName: '_headers', source: lines.join('\n') });
    },
  };
}

/** Files a static host keeps to itself: never cached by the service worker. */
const NOT_SERVED = new Set(['_headers', 'sw.js']);

/**
 * Writes sw.js once every other file exists (index.html included), so its cache version is a hash
 * of every file's contents; scripts/service-worker.ts says how updates stay safe.
 */
function offlineServiceWorker(): Plugin {
  return {
    name: 'gtzan-offline-service-worker',
    apply: 'build',
    enforce: 'post',
    writeBundle(options, bundle) {
      const outDir = options.dir ?? 'dist';
      const built = Object.values(bundle).map((f) => ({ name: f.fileName, content: f.type === 'chunk' ? f.code : f.source }));
      const pub = readdirSync('public').map((name) => ({ name, content: readFileSync(join('public', name)) }));
      const all = [...built, ...pub];
      const files = ['./', ...all.map((f) => f.name).filter((n) => !NOT_SERVED.has(n))].sort();
      writeFileSync(join(outDir, 'sw.js'), serviceWorkerSource(contentVersion(all), files, ISOLATION_HEADERS));
    },
  };
}

export default defineConfig({
  // Relative asset paths so the built page works from any folder or static host.
  base: './',
  plugins: [contentSecurityPolicy(), securityHeadersFile(), offlineServiceWorker()],
  preview: { headers: SECURITY_HEADERS },
  server: { headers: SECURITY_HEADERS },
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
