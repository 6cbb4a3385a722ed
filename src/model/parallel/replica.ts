import * as tf from '@tensorflow/tfjs';
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

  async gradients(req: ShareRequest): Promise<ShareResult> {
    this.trainer.setWeights(req.weights);
    const xs = tf.tensor3d(req.x, [req.rows, req.frames, req.coefficients]);
    const ys = tf.tensor2d(req.labels, [req.rows, 1]);
    try {
      const r = await this.trainer.gradients(xs, ys);
      return { ...r, rows: req.rows };
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  dispose(): void {
    this.trainer.dispose();
    this.model.dispose();
  }
}
