import type * as tf from '@tensorflow/tfjs';
import { buildModel } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import { specOf } from '../architectures/spec';
import { CnnModel, predictInChunks } from '../engines/simd-cnn/cnn-model';
import { cnnPlanOf } from '../engines/simd-cnn/cnn-plan';
import type { StageReply, StageReport, StageRun, StageStart } from '../engines/simd-cnn/cnn-share';
import type { CnnReplica } from '../engines/simd-cnn/cnn-trainer';
import { StageExchange } from '../engines/simd-cnn/stage-exchange';
import type { ShareInput } from '../engines/sharded-trainer';
import { LstmModel } from '../engines/simd-lstm/lstm-model';
import { LSTM_GROUP_ROWS, type LstmReplica, type ShareRequest, type ShareResult } from '../engines/simd-lstm/lstm-trainer';

/**
 * A helper thread seen from the coordinator: it answers either engine's jobs, and which it serves
 * is fixed by the config it started with (an LSTM's replica is only asked for gradients, a CNN's
 * only for stages).
 */
export type ThreadReplica = LstmReplica & CnnReplica;

/**
 * A helper thread's copy of the model: takes the coordinator's weights, returns the gradient of
 * its share of the batch (the LSTM), or runs its share of a step stage by stage (the CNNs), or its
 * share's class probabilities. The same code behind a Web Worker and a Node worker thread.
 */
export class Replica {
  private readonly model: tf.LayersModel;
  private readonly lstm: LstmModel | undefined;
  private readonly cnn: CnnModel | undefined;

  constructor(config: ModelConfig) {
    const spec = specOf(config);
    // Its starting weights do not matter: every share comes with the coordinator's.
    this.model = buildModel(spec);
    if (spec.kind === 'lstm') {
      this.lstm = new LstmModel(this.model, spec);
    } else {
      const plan = cnnPlanOf(spec);
      if (!plan) throw new Error('the SIMD CNN kernel does not take this model');
      this.cnn = new CnnModel(this.model, plan);
    }
  }

  private get lstmModel(): LstmModel {
    if (!this.lstm) throw new Error('a CNN replica trains in stages');
    return this.lstm;
  }

  private get cnnModel(): CnnModel {
    if (!this.cnn) throw new Error('an LSTM replica does not train in stages');
    return this.cnn;
  }

  gradients(req: ShareRequest): Promise<ShareResult> {
    const lstm = this.lstmModel;
    lstm.takeWeights(req.weights);
    return lstm.groupGradients(req.x, req.labels, req.rows, req.frames, req.coefficients, req.dropout, LSTM_GROUP_ROWS);
  }

  stageBegin(req: StageStart): StageReport {
    return this.cnnModel.share.begin(req);
  }

  stageNext(reply: StageReply): StageReport {
    return this.cnnModel.share.next(reply);
  }

  /** A whole step, each stage's sums handed to the coordinator and its reply taken in shared memory: blocks this thread meanwhile. */
  stageRun(req: StageRun): StageReport {
    const cnn = this.cnnModel;
    const exchange = new StageExchange(req.exchange, req.helpers, req.maxChannels, req.maxGroups);
    try {
      let report = cnn.share.begin(req);
      for (let stage = req.first; report.kind !== 'done'; stage++) {
        exchange.report(req.helper, stage, report);
        report = cnn.share.next(exchange.awaitReply(stage, report.kind, cnn.plan.blocks[report.block].cout));
      }
      return report;
    } catch (e) {
      exchange.fail(req.helper);
      throw e;
    }
  }

  async predict(req: ShareInput): Promise<Float32Array> {
    if (this.cnn) return predictInChunks(this.cnn.share, req.weights, req.state ?? [], req.x, req.rows, req.frames * req.coefficients, this.cnn.plan.classes);
    const lstm = this.lstmModel;
    lstm.takeWeights(req.weights);
    return lstm.predictValues(req.x, req.rows, req.frames, req.coefficients);
  }

  dispose(): void {
    this.model.dispose();
  }
}
