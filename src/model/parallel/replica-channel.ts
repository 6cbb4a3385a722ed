import type { StageReply, StageReport, StageStart } from '../fast-cnn/cnn-share';
import type { GradientWorker, ShareInput, ShareRequest, ShareResult } from './data-parallel';
import type { Replica } from './replica';

/** What a replica thread is asked: a share's gradient, a CNN share's stage, or a block's class probabilities. */
export type ReplicaJob =
  | { id: number; task: 'gradients'; req: ShareRequest }
  | { id: number; task: 'predict'; req: ShareInput }
  | { id: number; task: 'stage-begin'; req: StageStart }
  | { id: number; task: 'stage-next'; req: StageReply };

type Answer = ShareResult | Float32Array | StageReport;

/** What a replica thread answers to a job. */
export type ReplicaReply = { id: number; ok: true; result: Answer } | { id: number; ok: false; error: string };

/** A replica thread's side of the channel, the same over a Web Worker and a Node worker thread. */
export interface ReplicaPort {
  post(message: ReplicaJob, transfer: ArrayBuffer[]): void;
  onReply(listener: (reply: ReplicaReply) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}

/** A GradientWorker over a port: each job gets an id, and its reply settles its promise. */
export function channelWorker(port: ReplicaPort): GradientWorker {
  const waiting = new Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>();
  let next = 0;
  // A thread that failed (its script did not load, it crashed) answers nothing more: later jobs
  // fail at once with its error instead of waiting for ever.
  let failed: Error | undefined;
  port.onReply((m) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.result);
    else w?.reject(new Error(`a training thread failed: ${m.error}`));
  });
  port.onError((e) => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  });
  const ask = (job: Omit<ReplicaJob, 'id'>, transfer: ArrayBuffer[]) => new Promise<Answer>((resolve, reject) => {
    if (failed) return reject(failed);
    const id = next++;
    waiting.set(id, { resolve, reject });
    port.post({ id, ...job } as ReplicaJob, transfer);
  });
  return {
    // The share's rows are its own copies: moved, not copied again. The weights are copied, since
    // the coordinator keeps stepping them.
    gradients: (req) => ask({ task: 'gradients', req }, [req.x.buffer as ArrayBuffer, req.labels.buffer as ArrayBuffer]) as Promise<ShareResult>,
    predict: (req) => ask({ task: 'predict', req }, [req.x.buffer as ArrayBuffer]) as Promise<Float32Array>,
    stageBegin: (req) => ask({ task: 'stage-begin', req }, [req.x.buffer as ArrayBuffer, req.labels.buffer as ArrayBuffer]) as Promise<StageReport>,
    stageNext: (req) => ask({ task: 'stage-next', req }, []) as Promise<StageReport>,
    dispose: () => port.terminate(),
  };
}

/** The replica thread's answer to one job, posted with its arrays moved, not copied. */
export async function answerJob(replica: Promise<Replica>, job: ReplicaJob, post: (reply: ReplicaReply, transfer: ArrayBuffer[]) => void): Promise<void> {
  try {
    const r = await replica;
    if (job.task === 'predict') {
      const result = await r.predict(job.req);
      post({ id: job.id, ok: true, result }, [result.buffer as ArrayBuffer]);
    } else if (job.task === 'stage-begin' || job.task === 'stage-next') {
      const result = job.task === 'stage-begin' ? r.stageBegin(job.req) : r.stageNext(job.req);
      if (result.kind !== 'done') post({ id: job.id, ok: true, result }, []);
      else {
        // The filters' gradients are views into the kernel's memory: copied into one buffer of
        // their own, which moves to the coordinator, the dense layers' with it.
        const packed = packGrads(result.grads);
        post({ id: job.id, ok: true, result: { kind: 'done', grads: packed.grads } }, [packed.buffer]);
      }
    } else {
      const result = await r.gradients(job.req);
      post({ id: job.id, ok: true, result }, result.grads.map((g) => g.buffer as ArrayBuffer));
    }
  } catch (e) {
    post({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) }, []);
  }
}

/** Group gradients copied into one buffer, each a view of its own part of it. */
function packGrads(grads: (Float32Array | null)[][]): { grads: (Float32Array | null)[][]; buffer: ArrayBuffer } {
  const total = grads.flat().reduce((n, g) => n + (g?.length ?? 0), 0);
  const buffer = new ArrayBuffer(4 * total);
  let at = 0;
  const out = grads.map((group) => group.map((g) => {
    if (!g) return null;
    const view = new Float32Array(buffer, 4 * at, g.length);
    view.set(g);
    at += g.length;
    return view;
  }));
  return { grads: out, buffer };
}
