import type * as tf from '@tensorflow/tfjs';
import { buildModel } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import { FastModel } from '../fast-lstm/fast-model';
import type { ShareInput, ShareRequest, ShareResult } from './data-parallel';

/**
 * A helper thread's copy of the model: takes the coordinator's weights, returns the gradient of
 * its share of the batch, or its share's class probabilities. The same code behind a Web Worker
 * and a Node worker thread.
 */
export class Replica {
  private readonly model: tf.LayersModel;
  private readonly fast: FastModel;

  constructor(config: ModelConfig) {
    this.model = buildModel(config);
    this.fast = new FastModel(this.model);
  }

  gradients(req: ShareRequest): Promise<ShareResult> {
    this.fast.takeWeights(req.weights);
    return this.fast.shareGradients(req.x, req.labels, req.rows, req.frames, req.coefficients);
  }

  predict(req: ShareInput): Promise<Float32Array> {
    this.fast.takeWeights(req.weights);
    return this.fast.predictValues(req.x, req.rows, req.frames, req.coefficients);
  }

  dispose(): void {
    this.model.dispose();
  }
}
