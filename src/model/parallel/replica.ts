import type * as tf from '@tensorflow/tfjs';
import { buildModel } from '../build';
import type { ModelConfig } from '../config';
import { FastTrainer } from '../fast-lstm/fast-trainer';
import type { ShareRequest, ShareResult } from './data-parallel';

/**
 * A helper thread's copy of the model: takes the coordinator's weights, returns the gradient of
 * its share of the batch. The same code behind a Web Worker and a Node worker thread.
 */
export class Replica {
  private readonly model: tf.LayersModel;
  private readonly trainer: FastTrainer;

  constructor(config: ModelConfig) {
    this.model = buildModel(config);
    this.trainer = new FastTrainer(this.model, config.learningRate);
  }

  gradients(req: ShareRequest): Promise<ShareResult> {
    this.trainer.setWeights(req.weights);
    return this.trainer.shareGradients(req.x, req.labels, req.rows, req.frames, req.coefficients);
  }

  dispose(): void {
    this.trainer.dispose();
    this.model.dispose();
  }
}
