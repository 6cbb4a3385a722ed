import type * as tf from '@tensorflow/tfjs';
import { buildModel } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import type { StageReply, StageReport, StageRun, StageStart } from '../fast-cnn/cnn-share';
import { FastCnn, predictInChunks } from '../fast-cnn/fast-cnn';
import { FastModel } from '../fast-lstm/fast-model';
import { LSTM_GROUP_ROWS, type ShareInput, type ShareRequest, type ShareResult } from './data-parallel';
import { StageExchange } from './stage-exchange';

/**
 * A helper thread's copy of the model: takes the coordinator's weights, returns the gradient of
 * its share of the batch (the LSTM), or runs its share of a step stage by stage (the CNNs), or its
 * share's class probabilities. The same code behind a Web Worker and a Node worker thread.
 */
export class Replica {
  private readonly model: tf.LayersModel;
  private readonly fast: FastModel | undefined;
  private readonly cnn: FastCnn | undefined;

  constructor(config: ModelConfig) {
    // Its starting weights do not matter: every share comes with the coordinator's.
    this.model = buildModel(config);
    if ((config.architecture ?? 'lstm') === 'lstm') this.fast = new FastModel(this.model);
    else this.cnn = new FastCnn(this.model);
  }

  gradients(req: ShareRequest): Promise<ShareResult> {
    if (!this.fast) throw new Error('a CNN replica trains in stages');
    this.fast.takeWeights(req.weights);
    return this.fast.groupGradients(req.x, req.labels, req.rows, req.frames, req.coefficients, req.dropout, LSTM_GROUP_ROWS);
  }

  stageBegin(req: StageStart): StageReport {
    if (!this.cnn) throw new Error('an LSTM replica does not train in stages');
    return this.cnn.share.begin(req);
  }

  stageNext(reply: StageReply): StageReport {
    if (!this.cnn) throw new Error('an LSTM replica does not train in stages');
    return this.cnn.share.next(reply);
  }

  /** A whole step, each stage's sums handed to the coordinator and its reply taken in shared memory: blocks this thread meanwhile. */
  stageRun(req: StageRun): StageReport {
    if (!this.cnn) throw new Error('an LSTM replica does not train in stages');
    const exchange = new StageExchange(req.exchange, req.helpers, req.maxChannels, req.maxGroups);
    try {
      let report = this.cnn.share.begin(req);
      for (let stage = req.first; report.kind !== 'done'; stage++) {
        exchange.report(req.helper, stage, report);
        report = this.cnn.share.next(exchange.awaitReply(stage, report.kind, this.cnn.spec.blocks[report.block].cout));
      }
      return report;
    } catch (e) {
      exchange.fail(req.helper);
      throw e;
    }
  }

  async predict(req: ShareInput): Promise<Float32Array> {
    if (this.cnn) return predictInChunks(this.cnn.share, req.weights, req.state ?? [], req.x, req.rows, req.frames * req.coefficients, this.cnn.spec.classes);
    this.fast!.takeWeights(req.weights);
    return this.fast!.predictValues(req.x, req.rows, req.frames, req.coefficients);
  }

  dispose(): void {
    this.model.dispose();
  }
}
