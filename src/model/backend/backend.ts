import * as tf from '@tensorflow/tfjs';
import { adapterName, registerWebGpu, softwareAdapterReason, webgpuAdapter, type GpuAdapterFacts } from './webgpu';

export type BackendChoice = 'auto' | 'webgl' | 'webgpu' | 'wasm' | 'cpu';

/** ms per training batch of the model about to train on the backend named (the worker's quick measurement). */
export type MeasureBackend = (backend: string) => Promise<number>;

export interface BackendInUse {
  name: string;
  /** Why this backend, in a sentence for the page. */
  note: string;
}

/** The WebGL renderer's name, or undefined where there is no WebGL2 here (worker or page). */
export function webglRenderer(): string | undefined {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : undefined;
    const gl = canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined;
    if (!gl) return undefined;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return undefined;
  }
}

export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}

async function tryBackend(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * auto: WebGL on a hardware GPU; on a software renderer (SwiftShader, llvmpipe) WASM, which
 * measured ~4.6× faster than software WebGL with the fast LSTM and 2× with tf.layers.lstm
 * (npm run bench:train); CPU last. Then WebGPU (autoWebGpu) where `measure` is given.
 * An explicit choice runs that backend where it starts (WebGPU on any adapter, SwiftShader too).
 */
export async function selectBackend(choice: BackendChoice, measure?: MeasureBackend): Promise<BackendInUse> {
  if (choice === 'webgpu') {
    const adapter = (await registerWebGpu()) ? await webgpuAdapter() : undefined;
    if (adapter && await tryBackend('webgpu')) {
      const why = softwareAdapterReason(adapter);
      return { name: 'webgpu', note: `WebGPU on ${adapterName(adapter)}, as chosen${why ? `; slow here: ${why}` : ''}.` };
    }
  }
  const renderer = webglRenderer();
  const order: string[] = choice === 'auto'
    ? renderer && !isSoftwareRenderer(renderer) ? ['webgl', 'wasm', 'cpu'] : ['wasm', 'webgl', 'cpu']
    : [choice, ...['wasm', 'webgl', 'cpu'].filter((b) => b !== choice)];
  for (const name of order) {
    if (name === 'webgl' && !renderer) continue;
    if (await tryBackend(name)) {
      let note: string;
      if (choice !== 'auto' && name !== choice) note = `${choice} is not available in this browser, so training falls back to ${name}.`;
      else if (name === 'webgl') note = `WebGL on ${renderer}.`;
      else if (name === 'wasm')
        note = renderer
          ? `WebAssembly: your WebGL is a software renderer (${renderer}), slower than WASM for this model.`
          : 'WebAssembly: this browser has no WebGL2 here.';
      else note = 'Plain JavaScript (CPU): neither WebGL nor WebAssembly could start; training will be slow.';
      return choice === 'auto' ? autoWebGpu({ name, note }, measure) : { name, note };
    }
  }
  throw new Error('no TensorFlow.js backend could start');
}

/**
 * The automatic choice's last step: WebGPU replaces `base` only on a real graphics card (not a
 * fallback or software adapter) and only where the model about to train measured faster on it
 * than on `base`; the note says which and why. Without `measure` (classifying) `base` stays.
 */
async function autoWebGpu(base: BackendInUse, measure?: MeasureBackend): Promise<BackendInUse> {
  const adapter = (await registerWebGpu()) ? await webgpuAdapter() : undefined;
  const verdict = webgpuVerdict(adapter, measure !== undefined);
  if (!adapter || verdict) return verdict ? { ...base, note: `${base.note} ${verdict}` } : base;
  let baseMs = NaN;
  let gpuMs = NaN;
  try {
    baseMs = await measure!(base.name);
    if (await tryBackend('webgpu')) gpuMs = await measure!('webgpu');
  } catch {
    // A measurement that fails leaves WebGPU out.
  }
  const pick = measuredPick(base, adapter, baseMs, gpuMs);
  if (pick.name !== 'webgpu' && !(await tryBackend(base.name))) throw new Error(`${base.name} could not start again after WebGPU was measured`);
  return pick;
}

/** Why the automatic choice leaves WebGPU out before measuring, or undefined where it measures. */
export function webgpuVerdict(adapter: GpuAdapterFacts | undefined, measuring: boolean): string | undefined {
  if (!adapter) return undefined;
  const why = softwareAdapterReason(adapter);
  if (why) return `WebGPU is not used: ${why}.`;
  return measuring ? undefined : `WebGPU (${adapterName(adapter)}) is used only for training, where it measured faster.`;
}

/** WebGPU where it measured faster than `base` on this model, `base` otherwise; the note gives both times. */
export function measuredPick(base: BackendInUse, adapter: GpuAdapterFacts, baseMs: number, gpuMs: number): BackendInUse {
  const times = `${fmtMs(gpuMs)} per batch on WebGPU against ${fmtMs(baseMs)} on ${base.name}`;
  if (Number.isFinite(gpuMs) && Number.isFinite(baseMs) && gpuMs < baseMs) {
    return { name: 'webgpu', note: `WebGPU on ${adapterName(adapter)}: this model measured ${times}.` };
  }
  const why = Number.isFinite(gpuMs) ? `this model measured ${times}` : 'it could not train this model here';
  return { ...base, note: `${base.note} WebGPU (${adapterName(adapter)}) is not used: ${why}.` };
}

const fmtMs = (ms: number) => (Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms` : '—');
