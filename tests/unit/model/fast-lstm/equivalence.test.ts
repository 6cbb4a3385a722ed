import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasFusedKernels, setForcePortable } from '../../../../src/model/fast-lstm/ops';
import { CASES, compareWithLayersLstm } from '../../../../src/model/fast-lstm/self-check';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);

const TOL = 1e-4;

for (const [backend, portable] of [['cpu', false], ['cpu', true], ['wasm', false]] as const) {
  describe(`fastLstm matches tf.layers.lstm on ${backend}${portable ? ' (portable path)' : ' (fused kernels)'}`, () => {
    afterAll(() => setForcePortable(false));
    for (const c of CASES) {
      it(`B${c.batch} T${c.steps} D${c.inputs} H${c.units} ${c.returnSequences ? 'sequences' : 'last state'}`, async () => {
        await tf.setBackend(backend);
        await tf.ready();
        setForcePortable(portable);
        expect(hasFusedKernels()).toBe(true);
        const before = tf.memory().numTensors;
        const errors = compareWithLayersLstm(c);
        for (const [name, err] of Object.entries(errors)) expect(err, name).toBeLessThan(TOL);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}
