import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../../../src/model/architectures/build';
import { specOf, type CnnSpec } from '../../../../../src/model/architectures/spec';
import { cnnPlanOf } from '../../../../../src/model/engines/simd-cnn/cnn-plan';

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);

describe('the SIMD CNN plan, read from the spec alone', () => {
  for (const architecture of ['cnn', 'conv1d'] as const) {
    for (const coefficients of [13, 64]) {
      it(`places every weight where buildModel puts it (${architecture} on [130, ${coefficients}])`, async () => {
        await tf.setBackend('cpu');
        const spec = specOf({ frames: 130, coefficients, classes: 10, architecture, filters: 8, lstmUnits: [4], denseUnits: 12, dropout: 0.3, learningRate: 1e-3 }) as CnnSpec;
        const plan = cnnPlanOf(spec)!;
        const model = buildModel(spec);
        const trainable = model.trainableWeights.map((w) => w.shape);
        const moving = model.nonTrainableWeights.map((w) => w.shape);
        for (const b of plan.blocks) {
          expect(size(trainable[b.filter])).toBe(b.kh * b.kw * b.cin * b.cout);
          expect(trainable[b.gamma]).toEqual([b.cout]);
          expect(trainable[b.beta]).toEqual([b.cout]);
          expect(moving[b.movingMean]).toEqual([b.cout]);
          expect(moving[b.movingVariance]).toEqual([b.cout]);
        }
        let width = plan.blocks[plan.blocks.length - 1].cout;
        for (const d of plan.denses) {
          expect(trainable[d.kernel]).toEqual([width, d.units]);
          expect(trainable[d.bias]).toEqual([d.units]);
          width = d.units;
        }
        expect(plan.denses.at(-1)!.bias).toBe(trainable.length - 1);
        expect(plan.blocks.length * 2).toBe(moving.length);
        // Each block's output shape as the built model has it, after its pooling.
        const pools = model.layers.filter((l) => l.getClassName().startsWith('MaxPooling')).map((l) => (l.outputShape as number[]).slice(1));
        plan.blocks.forEach((b, i) => {
          const out = [Math.floor(b.H / b.ph), Math.floor(b.W / b.pw), b.cout].filter((_, k) => architecture === 'cnn' || k > 0);
          expect(pools[i]).toEqual(out);
        });
        model.dispose();
      });
    }
  }

  it('leaves out what the kernel does not take: filters not in fours', () => {
    expect(cnnPlanOf(specOf({ frames: 130, coefficients: 13, classes: 10, architecture: 'cnn', filters: 6, lstmUnits: [4], denseUnits: 12, dropout: 0, learningRate: 1e-3 }) as CnnSpec)).toBeUndefined();
  });
});
