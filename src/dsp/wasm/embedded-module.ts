/**
 * A WebAssembly module embedded as base64 (the kernels npm run build:wasm writes), compiled the
 * first time it is asked for, once per thread; null where this engine cannot run it (no
 * WebAssembly, or no SIMD: validate() refuses the module). Both kernels are under 6 KB, so even a
 * page's main thread may compile them synchronously.
 */
export function embeddedModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    try {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
    return compiled;
  };
}
