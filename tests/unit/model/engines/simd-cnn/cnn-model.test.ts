import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileKernel } from '../../../../../scripts/build-wasm';
import { cnnKernelFlavour, RELAXED_SIMD } from '../../../../../src/model/engines/simd-cnn/cnn-kernel';
import { CNN_KERNEL_RELAXED_WASM } from '../../../../../src/generated/cnn-kernel-relaxed.wasm';
import { CNN_KERNEL_WASM } from '../../../../../src/generated/cnn-kernel.wasm';
import { CNN_CASES, compareCnnWithTfjs } from '../../../../../src/self-check/cnn-check';

describe('the CNNs through the WebAssembly SIMD kernel, against tfjs-cpu', () => {
  it('is committed as compiled from cnn-kernel.as.ts, both builds (run npm run build:wasm after editing it)', async () => {
    expect(Buffer.from(await compileKernel('cnn')).toString('base64') === CNN_KERNEL_WASM).toBe(true);
    expect(Buffer.from(await compileKernel('cnnRelaxed')).toString('base64') === CNN_KERNEL_RELAXED_WASM).toBe(true);
  }, 60_000);

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => tf.env().set(RELAXED_SIMD, true));

  it('runs relaxed SIMD where the engine validates it (here: Node with --experimental-wasm-relaxed-simd, set by vitest.config.ts), plain SIMD on request', () => {
    expect(cnnKernelFlavour()).toBe('relaxed-simd');
    tf.env().set(RELAXED_SIMD, false);
    expect(cnnKernelFlavour()).toBe('simd');
    tf.env().set(RELAXED_SIMD, true);
  });

  for (const c of CNN_CASES) {
    for (const flavour of ['relaxed-simd', 'simd'] as const) {
      it(`${c.architecture} on [${c.frames}, ${c.coefficients}], ${c.filters} filters, ${flavour}: loss and every weight's gradient within 1e-4, probabilities within 1e-5`, async () => {
        tf.env().set(RELAXED_SIMD, flavour === 'relaxed-simd');
        expect(cnnKernelFlavour()).toBe(flavour);
        const r = await compareCnnWithTfjs(c);
        expect(r.loss).toBeLessThan(1e-5);
        for (const g of r.gradients) expect(g.error, g.name).toBeLessThan(1e-4);
        expect(r.probabilities).toBeLessThan(1e-5);
      });
    }
  }
});
