import * as tf from '@tensorflow/tfjs';

/**
 * The WebGPU engine's backend: tfjs's own (`@tensorflow/tfjs-backend-webgpu`), registered here
 * and nowhere else, on first use, so a browser without WebGPU and Node never load it.
 */

/** What a WebGPU adapter says of itself (GPUAdapterInfo), and whether it is a fallback adapter. */
export interface GpuAdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  fallback: boolean;
}

/** The parts of navigator.gpu read here (TypeScript's DOM types do not have WebGPU's yet). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{
    info?: Partial<Omit<GpuAdapterFacts, 'fallback'>> & { isFallbackAdapter?: boolean };
    isFallbackAdapter?: boolean;
  } | null>;
}

function gpu(): GpuLike | undefined {
  return (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
}

/** The adapter tfjs's WebGPU backend would take (high performance), or undefined where there is none. */
export async function webgpuAdapter(): Promise<GpuAdapterFacts | undefined> {
  try {
    const adapter = await gpu()?.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return undefined;
    const info = adapter.info ?? {};
    return {
      vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '',
      fallback: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
    };
  } catch {
    return undefined;
  }
}

/** The adapter in words for the page: "nvidia ampere (NVIDIA GeForce RTX 3060)". */
export function adapterName(a: GpuAdapterFacts): string {
  const main = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  const detail = a.description || a.device;
  return detail ? `${main} (${detail})` : main;
}

/**
 * Why this adapter is not a graphics card the automatic choice may train on, or undefined where
 * it is one: a fallback adapter, or a CPU rasteriser (SwiftShader, which Chromium exposes as
 * vendor "google"; llvmpipe; lavapipe), on which WebGPU is slower than the WASM engine.
 */
export function softwareAdapterReason(a: GpuAdapterFacts): string | undefined {
  const text = `${a.vendor} ${a.architecture} ${a.device} ${a.description}`;
  if (/swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i.test(text)) {
    return `its adapter (${adapterName(a)}) is a software renderer, which runs on the CPU`;
  }
  if (/^google$/i.test(a.vendor.trim())) return `its adapter (${adapterName(a)}) is Google's SwiftShader, a software renderer`;
  if (a.fallback) return `its adapter (${adapterName(a)}) is a fallback adapter, which may run on the CPU`;
  return undefined;
}

let registering: Promise<boolean> | undefined;

/**
 * Registers tfjs's WebGPU backend under the name 'webgpu', once; false where this browser has no
 * WebGPU (the package registers nothing then) or the package could not load.
 */
export function registerWebGpu(): Promise<boolean> {
  registering ??= (async () => {
    if (!gpu()) return false;
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
    } catch {
      return false;
    }
    return tf.findBackendFactory('webgpu') != null;
  })();
  return registering;
}
