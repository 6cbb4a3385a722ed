import * as tf from '@tensorflow/tfjs';

export type BackendChoice = 'auto' | 'webgl' | 'wasm' | 'cpu';

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
 * (npm run bench:train); CPU last.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendInUse> {
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
      else if (name === 'wasm') note = renderer ? `WebAssembly: your WebGL is a software renderer (${renderer}), slower than WASM for this model.` : 'WebAssembly: this browser has no WebGL2 here.';
      else note = 'Plain JavaScript (CPU): neither WebGL nor WebAssembly could start; training will be slow.';
      return { name, note };
    }
  }
  throw new Error('no TensorFlow.js backend could start');
}
